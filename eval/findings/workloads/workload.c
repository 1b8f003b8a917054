/* perf workload of the findings evaluation: parse, hash and sort records.
 * `./workload FACTOR`: parse_line does FACTOR times its work (1, 1.3, 2); the rest is unchanged.
 * Built with gcc -O1 -g -fno-omit-frame-pointer (frame pointers for perf record -g). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 20000

static volatile unsigned sink;

__attribute__((noinline)) static unsigned parse_line(const char *line, double factor) {
  unsigned h = 0;
  int passes = (int)factor;
  double extra = factor - passes;
  size_t len = strlen(line);
  for (int p = 0; p <= passes; p++) {
    size_t end = p < passes ? len : (size_t)(len * extra);
    for (size_t i = 0; i < end; i++) h = h * 31 + (unsigned char)line[i] + (line[i] == '=' ? 7 : 0);
  }
  return h;
}

__attribute__((noinline)) static unsigned hash_record(unsigned v) {
  for (int i = 0; i < 40; i++) v = (v ^ (v >> 13)) * 2654435761u;
  return v;
}

static int cmp(const void *a, const void *b) {
  unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
  return x < y ? -1 : x > y;
}

__attribute__((noinline)) static void sort_records(unsigned *v, int n) { qsort(v, n, sizeof *v, cmp); }

int main(int argc, char **argv) {
  double factor = argc > 1 ? atof(argv[1]) : 1.0;
  /* Rounds of the whole batch: the evaluation scales them so a recording lasts about a second. */
  int rounds = argc > 2 ? atoi(argv[2]) : 60;
  static char lines[N][96];
  static unsigned values[N];
  for (int i = 0; i < N; i++)
    snprintf(lines[i], sizeof lines[i], "ts=%d level=info service=svc%d latency=%d path=/api/v1/items/%d", i, i % 5, i % 97, i);
  for (int round = 0; round < rounds; round++) {
    for (int i = 0; i < N; i++) values[i] = hash_record(parse_line(lines[i], factor));
    sort_records(values, N);
    sink += values[N / 2];
  }
  return 0;
}
