package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

func init() {
	// TestHostileInputIsInertInEveryFormat runs every format of Formats()
	// through the hostile corpus and asks each for its own assertions.
	hostileChecks["html"] = func(t *testing.T, rep *findings.Report, out string) {
		t.Helper()
		checkHTMLDocument(t, rep, out)
		wantVisibleEscapes(t, "html", out)
	}
}

var htmlGoldens = []golden{
	{"mixed.html", "mixed", "html", noOpts},
	{"compliance.html", "compliance", "html", noOpts},
	{"hostile.html", "hostile", "html", noOpts},
}

func TestHTMLGolden(t *testing.T) {
	for _, g := range htmlGoldens {
		t.Run(g.name, func(t *testing.T) {
			got := render(t, g)
			if again := render(t, g); !bytes.Equal(got, again) {
				t.Fatalf("two renderings differ:\n%s", lineDiff(string(got), string(again)))
			}
			path := filepath.Join("testdata", "golden", g.name)
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./report -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden file; diff:\n%s", g.name, lineDiff(string(want), string(got)))
			}
		})
	}
}

// The elements and attributes the template writes; anything else in the
// parsed page came from data.
var (
	htmlElements = strings.Fields(`html head meta title style body a header h1 h2 h3 h4 h5 dl div dt dd code nav ul
		ol li main section p strong span figure figcaption svg g text rect table caption thead tbody tr th td
		article pre details summary form fieldset legend label input select option button footer script br`)
	htmlAttributes = strings.Fields(`lang charset http-equiv content name class href id aria-label aria-labelledby role aria-live viewbox viewBox
		width height xmlns x y data-count hidden type value checked for autocomplete placeholder selected rel scope`)
)

// checkHTMLDocument parses a rendered page as a browser would and asserts
// that account data added no element, no attribute and no script; that
// the CSP names the page's own style and script; that nothing is loaded
// from anywhere; and that the data block holds every result.
func checkHTMLDocument(t *testing.T, rep *findings.Report, out string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("html: %v", err)
	}
	elements := map[string]bool{}
	for _, e := range htmlElements {
		elements[e] = true
	}
	attributes := map[string]bool{}
	for _, a := range htmlAttributes {
		attributes[a] = true
	}
	var scripts, styles []*html.Node
	var csp string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			if !elements[n.Data] {
				t.Errorf("html: an element <%s> the template does not write", n.Data)
			}
			for _, a := range n.Attr {
				if !attributes[a.Key] || (a.Namespace != "" && a.Key != "xmlns") {
					t.Errorf("html: <%s> has an attribute %q the template does not write", n.Data, a.Key)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") {
					t.Errorf("html: a link to %q", a.Val)
				}
				if a.Key == "http-equiv" && strings.EqualFold(a.Val, "Content-Security-Policy") {
					csp = attr(n, "content")
				}
			}
			switch n.Data {
			case "script":
				scripts = append(scripts, n)
			case "style":
				styles = append(styles, n)
			case "a":
				if attr(n, "href") != "" && !strings.HasPrefix(attr(n, "href"), "#") && attr(n, "rel") != "noopener noreferrer" {
					t.Errorf("html: an outside link without rel=noopener noreferrer: %q", attr(n, "href"))
				}
			}
		case html.CommentNode:
			t.Errorf("html: a comment %.60q", n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(scripts) != 2 || len(styles) != 1 {
		t.Fatalf("html: %d scripts and %d styles, want 2 and 1", len(scripts), len(styles))
	}
	if attr(scripts[0], "type") != "application/json" || attr(scripts[0], "id") != "lockdown-data" {
		t.Errorf("html: the first script is not the data block: %v", scripts[0].Attr)
	}
	if got := text(scripts[1]); got != htmlJS || attr(scripts[1], "type") != "" {
		t.Errorf("html: the second script is not the page's own (%d bytes)", len(got))
	}
	if got := text(styles[0]); got != htmlCSS {
		t.Errorf("html: the style is not the page's own (%d bytes)", len(got))
	}
	// The policy allows exactly this script and this style.
	for _, want := range []string{"default-src 'none'", "img-src data:", "script-src " + sha256Source(htmlJS) + ";", "style-src " + sha256Source(htmlCSS) + ";"} {
		if !strings.Contains(csp, want) {
			t.Errorf("html: the CSP %q lacks %q", csp, want)
		}
	}
	raw := text(scripts[0])
	if m := regexp.MustCompile(`(?i)</script|<!--|<script`).FindString(raw); m != "" {
		t.Errorf("html: the data block holds %q", m)
	}
	var data struct {
		Statuses []string          `json:"statuses"`
		Checks   []json.RawMessage `json:"checks"`
		Results  [][]any           `json:"results"`
	}
	if err := json.Unmarshal([]byte(raw), &data); err != nil {
		t.Fatalf("html: the data block: %v", err)
	}
	if len(data.Results) != len(rep.Results) {
		t.Errorf("html: the data block has %d results, want %d", len(data.Results), len(rep.Results))
	}
	// Nothing outside the page: no URL in the style or the script, no
	// src attribute at all (checked above), no @import or url().
	for name, s := range map[string]string{"style": htmlCSS, "script": htmlJS} {
		if m := regexp.MustCompile(`(?i)url\(|@import|https?:|//[a-z]|fetch\(|XMLHttpRequest|WebSocket|sendBeacon|\.src\b|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function`).FindString(s); m != "" {
			t.Errorf("html: the %s holds %q", name, m)
		}
	}
}

func sha256Source(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// find returns the elements for which match holds, in document order.
func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func hasClass(n *html.Node, class string) bool {
	return regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(class) + `(\s|$)`).MatchString(attr(n, "class"))
}

func parseHTML(t *testing.T, out string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// htmlBreakouts are strings aimed at HTML itself: ending the data block or
// the style, opening a comment, leaving an attribute, event handlers and
// javascript: URLs.
var htmlBreakouts = []string{
	"</script><script>window.pwned=1</script>", "</SCRIPT ><script>window.pwned=2</script>", "<!--", "-->",
	"<script>", "</style><style>body{display:none}</style>", `"><img src=x onerror=alert(1)>`,
	`' onmouseover='alert(1)`, "<svg onload=alert(1)>", "javascript:alert(1)", "]]>", "&amp;&#x3c;", "\u2028\u2029",
	"{{.CSP}}", "<iframe src=https://evil.example>", "<base href=https://evil.example/>",
	"<meta http-equiv=refresh content='0;url=https://evil.example'>", "<link rel=stylesheet href=https://evil.example/x.css>",
}

// htmlHostileReport is the hostile corpus with the HTML break-outs added to
// every account-derived field, and a javascript: documentation URL.
func htmlHostileReport() *findings.Report {
	rep := hostileReport(false)
	extra := " " + strings.Join(htmlBreakouts, " ")
	for i := range rep.Results {
		r := &rep.Results[i]
		r.Message += extra
		r.Resource.ARN += extra
		r.Resource.Name += extra
		r.Detail += extra
		if r.Evidence != nil {
			ev := *r.Evidence
			ev.Actions = append(append([]string{}, ev.Actions...), htmlBreakouts...)
			ev.Statements = append(append([]string{}, ev.Statements...), extra)
			r.Evidence = &ev
		}
	}
	for i := range rep.Checks {
		rep.Checks[i].Title += extra
		rep.Checks[i].Section += extra
		rep.Checks[i].Remediation += "\n" + extra + "\naws iam x " + extra
		rep.Checks[i].DocsURL = "javascript://x/%0aalert(1)"
	}
	rep.Compliance[0].Controls[0].Title += extra
	rep.AccountID += extra
	return rep
}

func TestHTMLBreakoutsAreInert(t *testing.T) {
	rep := htmlHostileReport()
	out := renderString(t, "html", rep, Options{})
	checkHTMLDocument(t, rep, out)
	doc := parseHTML(t, out)
	// Each break-out reaches the page as text: the parsed text holds it.
	body := text(find(doc, func(n *html.Node) bool { return n.Data == "main" })[0])
	for _, s := range []string{"</script><script>window.pwned=1</script>", "<!--", `"><img src=x onerror=alert(1)>`, "<svg onload=alert(1)>"} {
		if !strings.Contains(body, s) {
			t.Errorf("the text %q is not shown as text", s)
		}
	}
	if strings.Contains(out, "javascript:") && regexp.MustCompile(`href="javascript:`).MatchString(out) {
		t.Error("a javascript: link")
	}
	// The data block decodes to the same text the page shows.
	scripts := find(doc, byID("lockdown-data"))
	var data struct {
		Results [][]any `json:"results"`
	}
	if err := json.Unmarshal([]byte(text(scripts[0])), &data); err != nil {
		t.Fatal(err)
	}
	if msg, _ := data.Results[0][4].(string); !strings.Contains(msg, "</script><script>window.pwned=1</script>") {
		t.Errorf("the data block lost the message text: %.200q", msg)
	}
}

// Without JavaScript the page shows the overview and every failing result
// of a small report, grouped by check, with its remediation and evidence.
func TestHTMLWithoutScript(t *testing.T) {
	rep := loadFixture(t, "mixed")
	out := renderString(t, "html", rep, Options{})
	doc := parseHTML(t, out)
	sum := findings.Summarize(rep.Results)
	for key, want := range map[string]int{"fail": sum.Fail, "pass": sum.Pass, "not-assessed": sum.NotAssessed, "not-applicable": sum.NotApplicable, "total": sum.Total} {
		n := find(doc, func(n *html.Node) bool { return attr(n, "data-count") == key })
		if len(n) != 1 || text(n[0]) != fmt.Sprint(want) {
			t.Errorf("overview count %s: want %d", key, want)
		}
	}
	static := find(doc, byID("static-findings"))
	if len(static) != 1 || attr(static[0], "hidden") != "" || hasAttr(static[0], "hidden") {
		t.Fatal("the server-rendered findings are missing or hidden")
	}
	items := find(static[0], func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "resources") })
	if len(items) != sum.Fail {
		t.Errorf("%d failing results written, want %d", len(items), sum.Fail)
	}
	checks := find(static[0], func(n *html.Node) bool { return n.Data == "article" && hasClass(n, "check") })
	failing := map[string]bool{}
	for _, r := range rep.Results {
		if r.Status == findings.Fail {
			failing[r.CheckID] = true
		}
	}
	if len(checks) != len(failing) {
		t.Errorf("%d failing checks, want %d", len(checks), len(failing))
	}
	// Most severe first.
	var ranks []int
	for _, c := range checks {
		badge := find(c, func(n *html.Node) bool { return hasClass(n, "badge") })[0]
		ranks = append(ranks, findings.Severity(text(badge)).Rank())
	}
	for i := 1; i < len(ranks); i++ {
		if ranks[i] > ranks[i-1] {
			t.Errorf("failing checks not most severe first: %v", ranks)
		}
	}
	if len(find(static[0], func(n *html.Node) bool { return n.Data == "pre" })) == 0 {
		t.Error("no remediation command block")
	}
	if len(find(static[0], func(n *html.Node) bool { return n.Data == "dl" && hasClass(n, "ev") })) == 0 {
		t.Error("no evidence")
	}
	// Charts: one bar group per guide section with results.
	svgs := find(doc, func(n *html.Node) bool { return n.Data == "svg" })
	if len(svgs) != 2 {
		t.Fatalf("%d charts, want 2 (no framework)", len(svgs))
	}
	if got, want := len(find(svgs[0], func(n *html.Node) bool { return n.Data == "g" })), len(groupBySection(rep)); got != want {
		t.Errorf("the section chart has %d bars, want %d", got, want)
	}
	// The explorer is for the script to show.
	if ex := find(doc, byID("explorer")); len(ex) != 1 || !hasAttr(ex[0], "hidden") {
		t.Error("the explorer is not hidden without the script")
	}
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// With a compliance section, each framework has a chart of its controls
// and a table row per control; the control filter lists its controls.
func TestHTMLFrameworks(t *testing.T) {
	rep := loadFixture(t, "compliance")
	doc := parseHTML(t, renderString(t, "html", rep, Options{}))
	tables := find(doc, func(n *html.Node) bool { return n.Data == "table" && hasClass(n, "controls") })
	if len(tables) != len(rep.Compliance) {
		t.Fatalf("%d control tables, want %d", len(tables), len(rep.Compliance))
	}
	for i, c := range rep.Compliance {
		rows := find(tables[i], func(n *html.Node) bool { return n.Data == "tr" && n.Parent.Data == "tbody" })
		if len(rows) != len(c.Controls) {
			t.Errorf("%s: %d rows, want %d", c.Framework, len(rows), len(c.Controls))
		}
	}
	if got := len(find(doc, func(n *html.Node) bool { return n.Data == "svg" && !hasClass(n, "mini") })); got != 2+len(rep.Compliance) {
		t.Errorf("%d charts, want %d", got, 2+len(rep.Compliance))
	}
	// Each control with results has a bar of them, segment widths summing
	// to the bar's width.
	for i, c := range rep.Compliance {
		rows := find(tables[i], func(n *html.Node) bool { return n.Data == "tr" && n.Parent.Data == "tbody" })
		for j, ctl := range c.Controls {
			bars := find(rows[j], func(n *html.Node) bool { return n.Data == "svg" && hasClass(n, "mini") })
			n := ctl.Results.Pass + ctl.Results.Fail + ctl.Results.NotAssessed + ctl.Results.NotApplicable
			if (n > 0) != (len(bars) == 1) {
				t.Errorf("%s %s: %d results, %d bars", c.Framework, ctl.ID, n, len(bars))
				continue
			}
			if n == 0 {
				continue
			}
			segs := find(bars[0], func(n *html.Node) bool { return n.Data == "rect" })
			if attr(bars[0], "aria-label") != resultCountsLine(ctl.Results) {
				t.Errorf("%s %s: bar labelled %q", c.Framework, ctl.ID, attr(bars[0], "aria-label"))
			}
			var last string
			for _, seg := range segs {
				last = attr(seg, "class")
			}
			if ctl.Results.NotApplicable == 0 && ctl.Results.Pass > 0 && last != "seg pass" {
				t.Errorf("%s %s: the last segment is %q", c.Framework, ctl.ID, last)
			}
		}
	}
	sel := find(doc, byID("f-control"))
	if len(sel) != 1 {
		t.Fatal("no framework control filter")
	}
	opts := map[string]bool{}
	for _, o := range find(sel[0], func(n *html.Node) bool { return n.Data == "option" }) {
		opts[attr(o, "value")] = true
	}
	for _, r := range rep.Results {
		for _, tag := range ControlTags(r.Controls) {
			if !opts[tag] {
				t.Errorf("no filter option for %s", tag)
			}
		}
	}
}

// Evidence is rendered from its JSON form: a kind the renderer has never
// heard of (escalation paths, say) shows as its key with its values.
func TestHTMLEvidenceIsGeneric(t *testing.T) {
	v := map[string]any{
		"paths":   []any{[]any{map[string]any{"from": "user/alice", "action": "iam:PassRole", "to": "<role/admin>"}}},
		"actions": []any{"iam:*"},
		"count":   3.0,
	}
	var buf bytes.Buffer
	if err := htmlTemplate.ExecuteTemplate(&buf, "evfields", htmlNodeOf("", v).Fields); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"<dt>paths</dt>", "<dt>from</dt>", "<code>user/alice</code>", "<code>iam:PassRole</code>", "<code>&lt;role/admin&gt;</code>", "<dt>count</dt><dd><code>3</code>"} {
		if !strings.Contains(out, want) {
			t.Errorf("evidence lacks %q:\n%s", want, out)
		}
	}
	// And the evidence of a real result is its JSON, every list shown.
	ev := &findings.Evidence{Actions: []string{"iam:A", "iam:B"}, Principals: []string{"arn:aws:iam::1:user/x"}}
	nodes := htmlEvidence(ev)
	if len(nodes) != 2 || nodes[0].Key != "actions" || len(nodes[0].Items) != 2 || nodes[1].Key != "principals" {
		t.Errorf("evidence nodes %+v", nodes)
	}
}

// Remediation: command lines (keeping their continuation's indentation)
// and JSON snippets become code blocks, "Console:" lines the console path,
// the rest paragraphs.
func TestHTMLRemediation(t *testing.T) {
	got := htmlRemediation("Do this:\n  aws iam a \\\n    --b c\n  aws iam d\nThen more\ntext.\nConsole: IAM > Users > x.\n$ aws iam e")
	want := []htmlBlock{{"p", "Do this:"}, {"cmd", "aws iam a \\\n  --b c\naws iam d"}, {"p", "Then more text."}, {"console", "IAM > Users > x."}, {"cmd", "aws iam e"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	got = htmlRemediation("Add:\n  {\"Bool\": {\"aws:MultiFactorAuthPresent\": \"true\"}}\nthen apply it.")
	want = []htmlBlock{{"p", "Add:"}, {"cmd", `{"Bool": {"aws:MultiFactorAuthPresent": "true"}}`}, {"p", "then apply it."}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("JSON snippet: got %q\nwant %q", got, want)
	}
}

// A large report writes at most htmlMaxStatic failing results as HTML and
// says so; the data block has all of them.
func TestHTMLLargeReport(t *testing.T) {
	if testing.Short() {
		t.Skip("large report")
	}
	rep := htmlLargeReport(90000)
	start := time.Now()
	out := renderString(t, "html", rep, Options{})
	elapsed := time.Since(start)
	t.Logf("90,000 results: %d bytes (%.1f MB) in %v", len(out), float64(len(out))/1e6, elapsed)
	if len(out) > 40<<20 {
		t.Errorf("%d bytes for 90,000 results", len(out))
	}
	doc := parseHTML(t, out)
	static := find(doc, byID("static-findings"))[0]
	items := find(static, func(n *html.Node) bool { return n.Data == "li" && n.Parent != nil && hasClass(n.Parent, "resources") })
	if len(items) != htmlMaxStatic {
		t.Errorf("%d failing results written as HTML, want %d", len(items), htmlMaxStatic)
	}
	sum := findings.Summarize(rep.Results)
	if want := fmt.Sprintf("the first %d of %d failing results", htmlMaxStatic, sum.Fail); !strings.Contains(text(static), want) {
		t.Errorf("no note %q", want)
	}
	// Every failing check keeps its heading and remediation; those whose
	// results are cut say how many are listed.
	checks := find(static, func(n *html.Node) bool { return n.Data == "article" && hasClass(n, "check") })
	if len(checks) != len(rep.Checks) {
		t.Errorf("%d failing checks shown, want %d", len(checks), len(rep.Checks))
	}
	if !strings.Contains(text(checks[len(checks)-1]), "0 of its ") {
		t.Errorf("the last check does not say its results are not listed: %.300q", text(checks[len(checks)-1]))
	}
	checkHTMLDocument(t, rep, out)
}

// htmlLargeReport has n results over 20 checks and n/20 users: a third
// fail (with evidence), some are not assessed, the rest pass.
func htmlLargeReport(n int) *findings.Report {
	rep := &findings.Report{Schema: findings.ReportSchemaV1, ToolVersion: "1.0.0", AccountID: "123456789012", Complete: true,
		CollectedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)}
	sevs := []findings.Severity{findings.Critical, findings.High, findings.Medium, findings.Low, findings.Info}
	sections := []string{"AWS root user", "IAM Policies", "IAM Roles", "IAM Groups", "IAM Users"}
	for i := 0; i < 20; i++ {
		rep.Checks = append(rep.Checks, findings.Check{
			ID: fmt.Sprintf("LD-GEN-%02d", i), Title: fmt.Sprintf("Generated check %d", i), Severity: sevs[i%5], Section: sections[i%5],
			Remediation: "Fix it:\n  aws iam do-something --user-name USER\nConsole: IAM > Users.", DocsURL: "https://docs.aws.amazon.com/IAM/latest/UserGuide/",
			Controls: map[string][]string{"cis-aws-5.0": {fmt.Sprintf("1.%d", i)}},
		})
	}
	users := n / len(rep.Checks)
	for u := 0; u < users; u++ {
		name := fmt.Sprintf("user-%05d", u)
		arn := "arn:aws:iam::123456789012:user/team/" + name
		for _, c := range rep.Checks {
			r := findings.Result{CheckID: c.ID, Title: c.Title, Severity: c.Severity, Controls: c.Controls,
				Resource:    findings.Resource{ARN: arn, Type: "AWS::IAM::User", Name: name},
				Fingerprint: findings.Fingerprint(c.ID, rep.AccountID, arn, "")}
			switch (u + len(r.CheckID)*7 + int(c.ID[len(c.ID)-1])) % 3 {
			case 0:
				r.Status = findings.Fail
				r.Message = name + " can call iam:PassRole on every role without MFA: allowed by policy Broad statement #2."
				r.Evidence = &findings.Evidence{Actions: []string{"iam:PassRole", "sts:AssumeRole"}, Statements: []string{"Broad statement #2 (user " + name + ")"}, Contexts: []string{"access_key"}}
			case 1:
				r.Status = findings.Pass
				r.Message = name + " passes."
			default:
				if u%10 == 0 {
					r.Status = findings.NotAssessed
					r.Message = "not assessed: iam:GetAccountAuthorizationDetails AccessDenied"
				} else {
					r.Status = findings.Pass
					r.Message = name + " passes."
				}
			}
			rep.Results = append(rep.Results, r)
		}
	}
	return rep
}
