// Package report renders a findings.Report as a terminal table, JSON, SARIF
// 2.1.0, Markdown, JUnit XML or a single-file HTML page. Every renderer is deterministic: the same
// report gives byte-identical output (no clock, no map iteration order).
package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// Options tune rendering. The CLI fills them; renderers never look at the
// environment or the terminal themselves.
type Options struct {
	Color        bool   // severity colours (the CLI decides: TTY && !NO_COLOR && !--no-color)
	Width        int    // terminal width; 0 = 80
	Quiet        bool   // table/markdown: failures only
	SnapshotPath string // path of the evaluated snapshot file as SARIF should reference it
	SnapshotData []byte // its bytes (SARIF records their length); results carry their own Location
	SARIFRoot    string // if set, SARIF URIs are relative to this directory (uriBaseId)
	// Baseline holds the failing results of a previous report. SARIF keeps
	// a baseline FAIL that this run could not judge (its check or resource
	// is NOT_ASSESSED here) as a result with the same fingerprint, so code
	// scanning does not close its alert as fixed. Other formats ignore it.
	Baseline []findings.Result
}

type renderFunc func(w io.Writer, rep *findings.Report, opts Options) error

var renderers = map[string]renderFunc{
	"table":    renderTable,
	"json":     renderJSON,
	"sarif":    renderSARIF,
	"markdown": renderMarkdown,
	"junit":    renderJUnit,
	"html":     renderHTML,
}

// Formats lists the output formats Render accepts, in a stable order.
func Formats() []string {
	return []string{"table", "json", "sarif", "markdown", "junit", "html"}
}

// Render writes rep to w in the named format.
func Render(w io.Writer, format string, rep *findings.Report, opts Options) error {
	fn, ok := renderers[format]
	if !ok {
		return fmt.Errorf("unknown report format %q (want one of %s)", format, strings.Join(Formats(), ", "))
	}
	if rep == nil {
		return fmt.Errorf("render %s: no report", format)
	}
	// The last line of defence for CI logs: no line of any format starts
	// like a runner command (see neutraliseCommandLines). It works line by
	// line, so a renderer that streams its output is not held in memory.
	lw := &lineWriter{w: w, markdown: format == "markdown"}
	if err := fn(lw, rep, opts); err != nil {
		return err
	}
	return lw.flush()
}

const lineWriterChunk = 64 << 10

// lineWriter passes complete lines through neutraliseCommandLines to w and
// keeps a partial last line until more follows (or flush); it passes them
// on in chunks of about lineWriterChunk bytes.
type lineWriter struct {
	w        io.Writer
	markdown bool
	pending  []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.pending = append(l.pending, p...)
	if len(l.pending) < lineWriterChunk {
		return len(p), nil // small writes go on together
	}
	if nl := bytes.LastIndexByte(l.pending, '\n'); nl >= 0 {
		if _, err := l.w.Write(neutraliseCommandLines(l.pending[:nl+1], l.markdown)); err != nil {
			return 0, err
		}
		l.pending = append(l.pending[:0], l.pending[nl+1:]...)
		if cap(l.pending) > 16*lineWriterChunk && len(l.pending) < lineWriterChunk {
			l.pending = append([]byte(nil), l.pending...) // a whole-document write leaves no huge buffer behind
		}
	}
	return len(p), nil
}

func (l *lineWriter) flush() error {
	if len(l.pending) == 0 {
		return nil
	}
	_, err := l.w.Write(neutraliseCommandLines(l.pending, l.markdown))
	l.pending = nil
	return err
}
