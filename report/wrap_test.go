package report

import (
	"io"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// Wrapping visits each byte of a cell a bounded number of times, whatever
// its shape: one long word, many short words, separators everywhere, wide
// runes. A quadratic wrapper (one pass over the rest of the word per
// output line) does about len²/width work and fails the bound at once.
func TestWrapLinesIsLinear(t *testing.T) {
	shapes := map[string]func(n int) string{
		"one word":         func(n int) string { return strings.Repeat("a", n) },
		"words":            func(n int) string { return strings.Repeat("ab cd ", n/6) },
		"separators":       func(n int) string { return strings.Repeat("a-", n/2) },
		"late separators":  func(n int) string { return strings.Repeat("aaaaaaaaaaaaaaaaaaa/", n/20) },
		"wide and escaped": func(n int) string { return strings.Repeat("日本\\u202e", n/12) },
	}
	for name, gen := range shapes {
		for _, words := range []bool{true, false} {
			for _, width := range []int{10, 37, 120} {
				var small, large int
				s, l := gen(30_000), gen(300_000)
				linesS := wrapLines(s, width, words, &small)
				linesL := wrapLines(l, width, words, &large)
				if large > 8*len(l) {
					t.Errorf("%s (words %v, width %d): %d steps for %d bytes", name, words, width, large, len(l))
				}
				// Ten times the input, ten times the work (not a hundred).
				if ratio := float64(large) / float64(small); ratio > 11 {
					t.Errorf("%s (words %v, width %d): work grew %.1fx for 10x input", name, words, width, ratio)
				}
				for _, lines := range [][]string{linesS, linesL} {
					for _, line := range lines {
						if w := textWidth(line); w > width {
							t.Fatalf("%s: line %q is %d wide, over %d", name, line[:min(len(line), 40)], w, width)
						}
					}
				}
				if got := strings.Join(linesL, ""); !words && got != l {
					t.Errorf("%s: breakText lost text", name)
				}
			}
		}
	}
}

// A 3 MB cell renders as a table; a quadratic wrapper would need many
// minutes for it (about 7 s at 300 KB before the wrapper was rewritten).
func TestTableWithHugeCell(t *testing.T) {
	if testing.Short() {
		t.Skip("3 MB cell")
	}
	rep := hugeCellReport(3_000_000)
	if err := Render(io.Discard, "table", rep, Options{Width: 100}); err != nil {
		t.Fatal(err)
	}
}

func hugeCellReport(n int) *findings.Report {
	return &findings.Report{Complete: true, Results: []findings.Result{{
		CheckID: "X", Severity: findings.High, Status: findings.Fail,
		Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + strings.Repeat("b", n)},
		Message:  strings.Repeat("a", n/2) + " " + strings.Repeat("word ", n/10),
	}}}
}

func BenchmarkTable300KBCell(b *testing.B) {
	rep := hugeCellReport(300_000)
	for i := 0; i < b.N; i++ {
		if err := Render(io.Discard, "table", rep, Options{Width: 100}); err != nil {
			b.Fatal(err)
		}
	}
}
