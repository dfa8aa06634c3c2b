package report

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

func renderTableString(t *testing.T, rep *findings.Report, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, "table", rep, opts); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTableFitsWidth(t *testing.T) {
	rep := loadFixture(t, "mixed")
	for _, width := range []int{0, 60, 72, 80, 100, 132, 200} {
		out := renderTableString(t, rep, Options{Width: width, Color: true})
		limit := width
		if limit == 0 {
			limit = 80
		}
		for i, line := range strings.Split(out, "\n") {
			if w := textWidth(ansiRE.ReplaceAllString(line, "")); w > limit {
				t.Errorf("width %d, line %d is %d wide: %q", width, i+1, w, line)
			}
		}
	}
}

func TestTableNoColourUnlessAsked(t *testing.T) {
	rep := loadFixture(t, "mixed")
	if out := renderTableString(t, rep, Options{}); strings.Contains(out, "\x1b") {
		t.Error("escape sequences without Color")
	}
	out := renderTableString(t, rep, Options{Color: true})
	if !strings.Contains(out, ansiBoldRed+"critical"+ansiReset) || !strings.Contains(out, ansiYellow+"medium"+ansiReset) {
		t.Error("severities are not coloured with Color")
	}
}

func TestTableQuietAndSummary(t *testing.T) {
	rep := loadFixture(t, "mixed")
	out := renderTableString(t, rep, Options{Quiet: true, Width: 200})
	if strings.Contains(out, "PASS") || strings.Contains(out, "NOT ASSESSED") {
		t.Errorf("quiet output shows non-failures:\n%s", out)
	}
	if strings.Contains(out, "AWS CLI") {
		t.Error("quiet output shows a section without failures")
	}
	want := "10 checks, 18 results: 4 pass, 9 fail (1 critical, 2 high, 2 medium, 2 low, 1 info, 1 unrated), 4 not assessed, 1 not applicable"
	if !strings.Contains(out, want) {
		t.Errorf("summary missing; want %q in:\n%s", want, out)
	}
	clean := renderTableString(t, loadFixture(t, "clean"), Options{Quiet: true})
	if !strings.Contains(clean, "No failing checks.") || !strings.Contains(clean, "2 checks, 2 results: 2 pass, 0 fail, 0 not assessed") {
		t.Errorf("clean quiet output:\n%s", clean)
	}
}

// Inside each section failures come first, most severe first, then
// NOT_ASSESSED, then PASS; sections follow the catalogue order.
func TestTableOrder(t *testing.T) {
	out := renderTableString(t, loadFixture(t, "mixed"), Options{Width: 200})
	order := []string{"AWS root user", "root-mfa-enabled", "NOT ASSESSED", "root-no-access-keys",
		"IAM Policies", "IAM Roles", "admin-role-requires-mfa", "role-max-session", "IAM Users", "AWS CLI", "Other"}
	pos := 0
	for _, s := range order {
		i := strings.Index(out[pos:], s)
		if i < 0 {
			t.Fatalf("%q not found after offset %d in:\n%s", s, pos, out)
		}
		pos += i
	}
}

func TestShortResource(t *testing.T) {
	for arn, want := range map[string]string{
		"arn:aws:iam::123456789012:user/alice":          "user/alice",
		"arn:aws:iam::123456789012:root":                "root",
		"arn:aws:iam::123456789012":                     "123456789012",
		"arn:aws:iam::aws:policy/ReadOnlyAccess":        "aws:policy/ReadOnlyAccess",
		"arn:aws-cn:iam::123456789012:role/x/AdminRole": "role/x/AdminRole",
		"~/.aws/credentials":                            "~/.aws/credentials",
	} {
		if got := shortResource(findings.Resource{ARN: arn}); got != want {
			t.Errorf("shortResource(%q) = %q, want %q", arn, got, want)
		}
	}
	if got := shortResource(findings.Resource{Name: "local"}); got != "local" {
		t.Errorf("no ARN: %q", got)
	}
	for _, c := range []struct {
		in    string
		width int
		want  string
	}{
		{"user/engineering/platform/alice", 40, "user/engineering/platform/alice"},
		{"user/engineering/platform/alice", 14, "user/…/alice"},
		{"user/engineering/platform/alice", 6, "alice"},
		{"group/Administrators", 16, "Administrators"},
		{"role/service-role/some-very-long-role-name", 14, "…ong-role-name"},
	} {
		if got := fitResource(c.in, c.width); got != c.want {
			t.Errorf("fitResource(%q, %d) = %q, want %q", c.in, c.width, got, c.want)
		}
	}
}

func TestWrapText(t *testing.T) {
	got := wrapText("alpha beta gamma arn:aws:iam::123456789012:role/AdminRole", 16)
	for _, line := range strings.Split(got, "\n") {
		if textWidth(line) > 16 {
			t.Errorf("line %q longer than 16", line)
		}
	}
	if strings.Join(strings.Fields(strings.ReplaceAll(got, "\n", " ")), "") != "alphabetagammaarn:aws:iam::123456789012:role/AdminRole" {
		t.Errorf("wrapping lost text: %q", got)
	}
}
