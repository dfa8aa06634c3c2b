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

// Output that goes to no terminal is as wide as COLUMNS says, when that is
// a plausible width, else DefaultWidth.
func TestWidthWithoutTerminal(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want int
	}{
		{nil, DefaultWidth},
		{map[string]string{"COLUMNS": "132"}, 132},
		{map[string]string{"COLUMNS": " 90 "}, 90},
		{map[string]string{"COLUMNS": "0"}, DefaultWidth},
		{map[string]string{"COLUMNS": "5"}, DefaultWidth},
		{map[string]string{"COLUMNS": "99999"}, DefaultWidth},
		{map[string]string{"COLUMNS": "wide"}, DefaultWidth},
	} {
		s := &IO{Out: &bytes.Buffer{}, Err: &bytes.Buffer{}, Env: env(c.env)}
		if got := s.Width(); got != c.want {
			t.Errorf("COLUMNS=%q: width %d, want %d", c.env["COLUMNS"], got, c.want)
		}
	}
	if got := (&IO{Out: &bytes.Buffer{}}).Width(); got != DefaultWidth {
		t.Errorf("no environment: width %d", got)
	}
}
