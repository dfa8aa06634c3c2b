package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/org"
)

func hostileOrgReport() *org.Report {
	name := "evil\x1b[2J</td><script>alert(1)</script>|`x`@team\n::error::pwned"
	accounts := []org.Account{
		{ID: "100000000001", Name: name, Status: org.StatusComplete, Dir: "100000000001",
			Summary: &findings.Summary{Total: 2, Fail: 1, FailBySev: map[string]int{"high": 1}}, FailingBySeverity: map[string]int{"high": 1},
			Checks: []org.CheckCount{{ID: "LD-A", Fail: 1}}},
		{ID: "100000000002", Name: "ok", Status: org.StatusFailed, Cause: "sts:AssumeRole AccessDenied <img src=x>"},
	}
	meta := org.Meta{OrganizationID: "o-abcdefghij", ManagementAccountID: "100000000000", CatalogVersion: "c",
		Checks: map[string]findings.Check{"LD-A": {ID: "LD-A", Title: "A <b>title</b>", Severity: "high"}}}
	return org.Build(meta, []org.ShardRun{{K: 1, N: 1, Selected: []string{"100000000001", "100000000002", "100000000003"}}}, accounts)
}

// Account names and causes are account data: inert in every summary
// format; the HTML page runs no script and its style is the one its CSP
// allows.
func TestOrgSummaryFormatsEscapeAccountData(t *testing.T) {
	rep := hostileOrgReport()
	for _, f := range OrgFormats() {
		var buf bytes.Buffer
		if err := RenderOrg(&buf, f, rep); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out := buf.String()
		if strings.Contains(out, "\x1b") {
			t.Errorf("%s: a raw escape sequence", f)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "::error::") {
				t.Errorf("%s: a line starts like a CI runner command: %q", f, line)
			}
		}
		if !strings.Contains(out, "100000000003") {
			t.Errorf("%s: the missing account is not named", f)
		}
		switch f {
		case "html":
			if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Contains(out, "<b>") {
				t.Errorf("html: account data became markup:\n%s", out)
			}
			sum := sha256.Sum256([]byte(orgHTMLCSS))
			if !strings.Contains(html.UnescapeString(out), "style-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'") || !strings.Contains(html.UnescapeString(out), "default-src 'none'") || !strings.Contains(out, "<style>"+orgHTMLCSS+"</style>") {
				t.Error("html: the CSP does not pin the page's style")
			}
		case "markdown":
			if strings.Contains(out, "<script") || strings.Contains(out, "<img") || !strings.Contains(out, `\|`) {
				t.Errorf("markdown: account data not escaped:\n%s", out)
			}
		}
	}
	if err := RenderOrg(&bytes.Buffer{}, "sarif", rep); err == nil {
		t.Error("an unknown summary format was accepted")
	}
}
