package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// The streamed report is byte for byte the report encoded at once.
func TestJSONStreamsTheWholeDocument(t *testing.T) {
	reps := map[string]*findings.Report{
		"mixed":        loadFixture(t, "mixed"),
		"minimal":      loadFixture(t, "minimal"),
		"hostile":      hostileReport(false),
		"hostile long": hostileReport(true),
		"no results":   {Schema: findings.ReportSchemaV1},
	}
	for name, rep := range reps {
		var got bytes.Buffer
		if err := renderJSON(&got, rep, Options{}); err != nil {
			t.Fatal(err)
		}
		want := encodeAtOnce(t, rep)
		if !bytes.Equal(got.Bytes(), want) {
			g, w := got.Bytes(), want
			i := 0
			for i < len(g) && i < len(w) && g[i] == w[i] {
				i++
			}
			t.Errorf("%s: streamed JSON differs from the document encoded at once from byte %d: %q, want %q", name, i, g[max(i-80, 0):min(i+80, len(g))], w[max(i-80, 0):min(i+80, len(w))])
		}
		if len(rep.Results) > 0 && !json.Valid(got.Bytes()) {
			t.Errorf("%s: invalid JSON", name)
		}
	}
}

// encodeAtOnce is the JSON report encoded in one json.Encoder call: the
// same document, results included.
func encodeAtOnce(t *testing.T, rep *findings.Report) []byte {
	t.Helper()
	out := jsonDocument(rep)
	out.Results = make([]findings.Result, len(rep.Results))
	for i, r := range rep.Results {
		out.Results[i] = jsonResult(r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(&out); err != nil {
		t.Fatal(err)
	}
	return jsonUnicodeEscape(buf.Bytes())
}

// Render's last line of defence works on whole lines however the renderer
// splits its writes.
func TestLineWriterSplitWrites(t *testing.T) {
	text := strings.Repeat("ok line\n::error::pwned\n##vso[task.setvariable variable=x]y\n  ::add-mask::x\n", 5000) + "::warning::last line, no newline"
	for _, md := range []bool{false, true} {
		want := neutraliseCommandLines([]byte(text), md)
		for _, step := range []int{1, 7, 4096, lineWriterChunk + 3, len(text)} {
			var got bytes.Buffer
			lw := &lineWriter{w: &got, markdown: md}
			for i := 0; i < len(text); i += step {
				if _, err := lw.Write([]byte(text[i:min(i+step, len(text))])); err != nil {
					t.Fatal(err)
				}
			}
			if err := lw.flush(); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Fatalf("markdown=%v, writes of %d bytes: output differs from neutralising the whole text", md, step)
			}
		}
	}
}
