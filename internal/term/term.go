// Package term decides what the terminal gets: which streams, whether they
// are TTYs, whether colour is allowed, and progress lines on stderr.
package term

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/term"
)

// IO is the set of streams a command uses. stdout is for the report,
// stderr for everything else.
type IO struct {
	In  io.Reader
	Out io.Writer
	Err io.Writer
	// Env looks up environment variables (os.LookupEnv by default), so tests
	// can pin NO_COLOR and friends.
	Env func(string) (string, bool)
}

// System returns the process's own streams.
func System() *IO {
	return &IO{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Env: os.LookupEnv}
}

func isTerminal(w any) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

// OutIsTTY reports whether stdout is a terminal.
func (s *IO) OutIsTTY() bool { return isTerminal(s.Out) }

// ErrIsTTY reports whether stderr is a terminal.
func (s *IO) ErrIsTTY() bool { return isTerminal(s.Err) }

// DefaultWidth is the width of output that goes to no terminal (a pipe, a
// file, a CI log) when COLUMNS does not give one.
const DefaultWidth = 100

// Width is stdout's column count when stdout is a terminal; otherwise the
// COLUMNS environment variable when it holds a plausible width (20 to
// 1000), else DefaultWidth.
func (s *IO) Width() int {
	if f, ok := s.Out.(interface{ Fd() uintptr }); ok {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if s.Env != nil {
		if v, ok := s.Env("COLUMNS"); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 20 && n <= 1000 {
				return n
			}
		}
	}
	return DefaultWidth
}

// ColorEnabled applies the colour policy: only on a TTY, never when NO_COLOR
// is set (any value, per no-color.org) or the user said --no-color.
func (s *IO) ColorEnabled(noColorFlag bool) bool {
	if noColorFlag || !s.OutIsTTY() {
		return false
	}
	if s.Env != nil {
		if _, set := s.Env("NO_COLOR"); set {
			return false
		}
		if v, _ := s.Env("TERM"); v == "dumb" {
			return false
		}
	}
	return true
}

// Progress writes one-line status updates to stderr, overwriting the line,
// and only when stderr is a terminal.
type Progress struct {
	mu      sync.Mutex
	w       io.Writer
	enabled bool
	last    int
}

// NewProgress returns a progress printer that is silent unless stderr is a TTY.
func (s *IO) NewProgress() *Progress {
	return &Progress{w: s.Err, enabled: s.ErrIsTTY()}
}

// Update shows which source is being collected and how many pages so far.
func (p *Progress) Update(source string, pages int) {
	if p == nil || !p.enabled {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	line := fmt.Sprintf("collecting %s", source)
	if pages > 0 {
		line += fmt.Sprintf(" (%d pages)", pages)
	}
	pad := ""
	if n := p.last - len(line); n > 0 {
		pad = fmt.Sprintf("%*s", n, "")
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.last = len(line)
}

// Done clears the progress line.
func (p *Progress) Done() {
	if p == nil || !p.enabled || p.last == 0 {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "\r%*s\r", p.last, "")
	p.last = 0
}
