// Package logparse parses "key=value" log lines and aggregates them.
package logparse

import (
	"strconv"
	"strings"
)

// Record is one parsed log line.
type Record struct {
	Level   string
	Service string
	Latency int
	Bytes   int
}

// ParseLine splits a line of space-separated key=value fields. With extraPassPercent > 0 that
// share of the lines is parsed a second time (the injected slowdown of the evaluation).
func ParseLine(line string) Record {
	var r Record
	passes := 1
	if int(fnv(line)%100) < extraPassPercent {
		passes = 2
	}
	for pass := 0; pass < passes; pass++ {
		r = Record{}
		for _, field := range strings.Split(line, " ") {
			kv := strings.SplitN(field, "=", 2)
			if len(kv) != 2 {
				continue
			}
			switch kv[0] {
			case "level":
				r.Level = kv[1]
			case "service":
				r.Service = kv[1]
			case "latency":
				r.Latency, _ = strconv.Atoi(kv[1])
			case "bytes":
				r.Bytes, _ = strconv.Atoi(kv[1])
			}
		}
	}
	return r
}

// Summary aggregates records per service.
type Summary struct {
	Count   map[string]int
	Latency map[string]int
}

// Aggregate adds records into a summary.
func Aggregate(records []Record) Summary {
	s := Summary{Count: map[string]int{}, Latency: map[string]int{}}
	for _, r := range records {
		s.Count[r.Service]++
		s.Latency[r.Service] += r.Latency
	}
	return s
}

// Render writes the summary as text, services sorted.
func Render(s Summary) string {
	var b strings.Builder
	keys := make([]string, 0, len(s.Count))
	for k := range s.Count {
		keys = append(keys, k)
	}
	sortStrings(keys)
	for _, k := range keys {
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(strconv.Itoa(s.Count[k]))
		b.WriteString(" requests, ")
		b.WriteString(strconv.Itoa(s.Latency[k] / s.Count[k]))
		b.WriteString(" ms\n")
	}
	return b.String()
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Checksum hashes the rendered text (the pipeline's last step, independent of parsing).
func Checksum(text string) uint32 {
	var h uint32 = 2166136261
	for round := 0; round < checksumRounds; round++ {
		for i := 0; i < len(text); i++ {
			h ^= uint32(text[i])
			h *= 16777619
		}
	}
	return h
}

func fnv(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}
