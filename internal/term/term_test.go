package term

import (
	"bytes"
	"testing"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func TestColorNeverOnNonTTY(t *testing.T) {
	s := &IO{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Env: env(nil)}
	if s.ColorEnabled(false) {
		t.Fatal("colour enabled for a buffer")
	}
}

func TestProgressSilentWhenNotTTY(t *testing.T) {
	var errBuf bytes.Buffer
	s := &IO{Out: &bytes.Buffer{}, Err: &errBuf, Env: env(nil)}
	p := s.NewProgress()
	p.Update("credential_report", 2)
	p.Done()
	if errBuf.Len() != 0 {
		t.Fatalf("progress written to a non-terminal: %q", errBuf.String())
	}
}

func TestProgressOverwritesLine(t *testing.T) {
	var buf bytes.Buffer
	p := &Progress{w: &buf, enabled: true}
	p.Update("authorization_details", 3)
	p.Update("account_summary", 0)
	p.Done()
	want := "\rcollecting authorization_details (3 pages)\rcollecting account_summary                \r" +
		"                          \r"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}

func TestWidthDefault(t *testing.T) {
	s := &IO{Out: &bytes.Buffer{}}
	if s.Width() != 80 {
		t.Fatalf("width %d", s.Width())
	}
}
