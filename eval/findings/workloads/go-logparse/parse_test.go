package logparse

import (
	"fmt"
	"testing"
)

var lines = func() []string {
	services := []string{"auth", "billing", "search", "users", "web"}
	out := make([]string, 2000)
	for i := range out {
		out[i] = fmt.Sprintf("ts=%d level=info service=%s latency=%d bytes=%d path=/api/v1/items/%d", 1700000000+i, services[i%5], i%97, i*13%4096, i)
	}
	return out
}()

var sink uint32

// BenchmarkPipeline parses, aggregates, renders and checksums a batch of log lines.
func BenchmarkPipeline(b *testing.B) {
	for i := 0; i < b.N; i++ {
		records := make([]Record, len(lines))
		for j, line := range lines {
			records[j] = ParseLine(line)
		}
		s := Aggregate(records)
		text := Render(s)
		for k := 0; k < 30; k++ {
			text += Render(s)
		}
		sink += Checksum(text)
	}
}
