package report

// The HTML report in a real browser: headless Chromium (Debian's chromium)
// driven over the DevTools protocol. LOCKDOWN_BROWSER=1 runs these tests
// (make test sets it); with it set and no chromium they fail.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// browser starts one headless Chromium for the test and returns its
// context; each page opens its own tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	if os.Getenv("LOCKDOWN_BROWSER") != "1" {
		t.Skip("the HTML report's browser tests run with LOCKDOWN_BROWSER=1 (make test sets it; they need Debian's chromium)")
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("LOCKDOWN_BROWSER=1 but there is no chromium on PATH (%v): install Debian's chromium package (make deps does)", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.Flag("no-proxy-server", true),
		chromedp.Flag("lang", "en-US"),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// tab is one page with what it did: requests, dialogs, exceptions and
// log entries (CSP violations are logged there too).
type tab struct {
	ctx context.Context
	url string

	mu         sync.Mutex
	requests   []string
	dialogs    []string
	exceptions []string
	logs       []string
}

// The page's own listener for CSP violations runs before any of its
// scripts.
const violationRecorder = `window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
  window.__violations.push(e.violatedDirective + ' ' + e.blockedURI);
});`

func openTab(t *testing.T, bctx context.Context, file string, script bool) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(bctx)
	t.Cleanup(cancel)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(cancelTimeout)
	tb := &tab{ctx: ctx, url: "file://" + file}
	err := chromedp.Listen(ctx, func(ev any) {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			tb.requests = append(tb.requests, e.Request.URL)
		case *page.EventJavascriptDialogOpening:
			tb.dialogs = append(tb.dialogs, string(e.Type)+": "+e.Message)
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventExceptionThrown:
			tb.exceptions = append(tb.exceptions, (&chromedp.ExceptionError{ExceptionDetails: e.ExceptionDetails}).Error())
		case *cdplog.EventEntryAdded:
			tb.logs = append(tb.logs, string(e.Entry.Source)+" "+string(e.Entry.Level)+": "+e.Entry.Text)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: violationRecorder}); err != nil {
		t.Fatal(err)
	}
	if !script {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatal(err)
		}
	}
	return tb
}

// load navigates to the page and, with the script on, waits until it has
// rendered its list; it returns the time that took.
func (tb *tab) load(t *testing.T, script bool) time.Duration {
	t.Helper()
	start := time.Now()
	if err := chromedp.Do(tb.ctx, chromedp.Navigate(tb.url)); err != nil {
		t.Fatalf("navigate: %v", err)
	}
	if script {
		if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.documentElement.dataset.ready === '1'`, chromedp.WithPollingTimeout(2*time.Minute))); err != nil {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			t.Fatalf("the page did not get ready: %v (exceptions %q, log %q)", err, tb.exceptions, tb.logs)
		}
	}
	return time.Since(start)
}

// clean asserts that the page loaded nothing but itself, opened no dialog,
// threw nothing and broke no CSP rule.
func (tb *tab) clean(t *testing.T) {
	t.Helper()
	if v := eval[[]string](t, tb, `window.__violations || []`); len(v) > 0 {
		t.Errorf("Content-Security-Policy violations: %q", v)
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.requests) == 0 {
		t.Error("no request seen at all: the network listener does not work")
	}
	for _, u := range tb.requests {
		if u != tb.url {
			t.Errorf("the page requested %q", u)
		}
	}
	if len(tb.dialogs) > 0 {
		t.Errorf("dialogs opened: %q", tb.dialogs)
	}
	if len(tb.exceptions) > 0 {
		t.Errorf("script exceptions: %q", tb.exceptions)
	}
	for _, l := range tb.logs {
		if strings.Contains(l, "Content Security Policy") || strings.Contains(l, "Refused") {
			t.Errorf("browser log: %s", l)
		}
	}
}

func eval[T any](t *testing.T, tb *tab, expr string) T {
	t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.80q: %v", expr, err)
	}
	return v
}

func do(t *testing.T, tb *tab, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// matches is the number of results the list says match the filters.
func matches(t *testing.T, tb *tab) int {
	t.Helper()
	return eval[int](t, tb, `parseInt(document.getElementById('count').dataset.matches, 10)`)
}

// waitMatches waits until the list shows want matching results.
func waitMatches(t *testing.T, tb *tab, want int) {
	t.Helper()
	expr := fmt.Sprintf(`document.getElementById('count').dataset.matches === '%d'`, want)
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("the list shows %d matching results, want %d: %v", matches(t, tb), want, err)
	}
}

func writePage(t *testing.T, rep *findings.Report, name string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, "html", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// guideAsWritten is the report of testdata/snapshots/guide-as-written.json
// (the guide's account as written), as `lockdown audit --format json`
// writes it; the CLI's golden test keeps that file current.
func guideAsWritten(t *testing.T) *findings.Report {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "internal", "cli", "testdata", "golden", "guide-as-written.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep findings.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Results) == 0 {
		t.Fatal("the guide-as-written report has no results")
	}
	return &rep
}

func countWhere(rep *findings.Report, keep func(findings.Result) bool) int {
	n := 0
	for _, r := range rep.Results {
		if keep(r) {
			n++
		}
	}
	return n
}

func TestHTMLInBrowser(t *testing.T) {
	bctx := browser(t)
	t.Run("guide-as-written", func(t *testing.T) { testGuidePage(t, bctx) })
	t.Run("without-script", func(t *testing.T) { testPageWithoutScript(t, bctx) })
	t.Run("hostile", func(t *testing.T) { testHostilePage(t, bctx) })
	t.Run("90000-results", func(t *testing.T) { testLargePage(t, bctx) })
	// Any page, for example the report of tools/gensnapshot's 10,000-user
	// account: LOCKDOWN_HTML_PAGE=/tmp/10k.html.
	if file := os.Getenv("LOCKDOWN_HTML_PAGE"); file != "" {
		t.Run("given-page", func(t *testing.T) { testGivenPage(t, bctx, file) })
	}
}

func testGivenPage(t *testing.T, bctx context.Context, file string) {
	abs, err := filepath.Abs(file)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		t.Fatal(err)
	}
	tb := openTab(t, bctx, abs, true)
	ready := tb.load(t, true)
	fails := eval[string](t, tb, `document.querySelector('[data-count=fail]').textContent`)
	total := eval[string](t, tb, `document.querySelector('[data-count=total]').textContent`)
	if got := fmt.Sprint(matches(t, tb)); got != fails {
		t.Errorf("the list starts with %s results, the overview says %s fail", got, fails)
	}
	filterMS := eval[float64](t, tb, `(function () { var t = performance.now(); document.querySelector('input[name=status][value=PASS]').click(); return performance.now() - t; })()`)
	do(t, tb, chromedp.SetValue(chromedp.CSS(`#f-search`), "iam:"))
	searchMS := eval[float64](t, tb, `(function () { var t = performance.now(); document.getElementById('filters').requestSubmit(); return performance.now() - t; })()`)
	searched := matches(t, tb)
	do(t, tb, chromedp.Click(chromedp.CSS(`#next`)))
	t.Logf("%s: %d bytes (%.1f MB), %s results (%s fail); opened and rendered in %v; status filter %.0f ms, first search %.0f ms (%d match \"iam:\")",
		file, st.Size(), float64(st.Size())/1e6, total, fails, ready.Round(time.Millisecond), filterMS, searchMS, searched)
	tb.clean(t)
}

func testGuidePage(t *testing.T, bctx context.Context) {
	rep := guideAsWritten(t)
	sum := findings.Summarize(rep.Results)
	tb := openTab(t, bctx, writePage(t, rep, "guide-as-written.html"), true)
	elapsed := tb.load(t, true)
	t.Logf("guide as written: rendered in %v", elapsed)

	// Counts: the overview and the list agree with the report.
	for key, want := range map[string]int{"fail": sum.Fail, "pass": sum.Pass, "not-assessed": sum.NotAssessed, "total": sum.Total} {
		if got := eval[string](t, tb, fmt.Sprintf(`document.querySelector('[data-count=%q]').textContent`, key)); got != fmt.Sprint(want) {
			t.Errorf("overview %s = %s, want %d", key, got, want)
		}
	}
	if sum.Fail == 0 {
		t.Fatal("the guide as written has no failures")
	}
	if got := matches(t, tb); got != sum.Fail {
		t.Errorf("the list starts with %d results, want the %d failures", got, sum.Fail)
	}
	if got := eval[int](t, tb, `document.querySelectorAll('#results > li').length`); got != min(sum.Fail, 50) {
		t.Errorf("%d rows shown, want %d", got, min(sum.Fail, 50))
	}
	if !eval[bool](t, tb, `document.getElementById('static-findings').hidden && !document.getElementById('explorer').hidden`) {
		t.Error("with the script, the explorer does not replace the server-rendered list")
	}
	// The first row is the most severe failure.
	if got := eval[string](t, tb, `document.querySelector('#results > li .badge + .badge').textContent`); got != "critical" {
		t.Errorf("the first row's severity is %q, want critical", got)
	}

	// Evidence and remediation open on demand, rendered from the data.
	do(t, tb, chromedp.Click(chromedp.CSS(`#results > li details > summary`)))
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](`document.querySelector('#results > li:first-child details').dataset.filled === '1'`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the first result's details did not open: %v", err)
	}
	shown := eval[[]string](t, tb, `Array.from(document.querySelectorAll('#results > li:first-child details dl.ev > dt')).map(function (d) { return d.textContent; })`)
	firstCheck := eval[string](t, tb, `document.querySelector('#results > li:first-child code.check').textContent`)
	firstRes := eval[string](t, tb, `document.querySelector('#results > li:first-child code.res').textContent`)
	var kinds []string
	for _, r := range rep.Results {
		if r.Status == findings.Fail && r.CheckID == firstCheck && resourceLabel(r.Resource) == firstRes {
			for _, f := range evidenceFields(r.Evidence) {
				kinds = append(kinds, f.label)
			}
			break
		}
	}
	slices.Sort(kinds)
	if len(kinds) == 0 || !slices.Equal(shown, kinds) {
		t.Errorf("the first result (%s on %s) shows the evidence %q, want %q", firstCheck, firstRes, shown, kinds)
	}
	if got := eval[int](t, tb, `document.querySelectorAll('#results > li:first-child details pre code').length`); got == 0 {
		t.Error("the first result shows no remediation commands")
	}

	// Accessibility: landmarks, labels, contrast, keyboard.
	checkLandmarksAndLabels(t, tb)
	checkContrast(t, tb)

	// The severity filter, by keyboard: focus "critical" and press space.
	critical := countWhere(rep, func(r findings.Result) bool { return r.Status == findings.Fail && r.Severity == findings.Critical })
	do(t, tb, chromedp.Focus(chromedp.CSS(`input[name=sev][value=critical]`)), chromedp.KeyEvent(" "))
	if !eval[bool](t, tb, `document.activeElement === document.querySelector('input[name=sev][value=critical]') && !document.activeElement.checked`) {
		t.Error("space on the focused critical box did not uncheck it")
	}
	waitMatches(t, tb, sum.Fail-critical)
	do(t, tb, chromedp.KeyEvent(" "))
	waitMatches(t, tb, sum.Fail)
	// Only critical, by mouse.
	for _, sev := range []string{"high", "medium", "low", "info", "other"} {
		do(t, tb, chromedp.Click(chromedp.CSS(`input[name=sev][value=`+sev+`]`)))
	}
	waitMatches(t, tb, critical)
	for _, sev := range []string{"high", "medium", "low", "info", "other"} {
		do(t, tb, chromedp.Click(chromedp.CSS(`input[name=sev][value=`+sev+`]`)))
	}
	waitMatches(t, tb, sum.Fail)

	// Status: every status lists every result.
	for _, st := range []string{"NOT ASSESSED", "PASS", "NOT APPLICABLE"} {
		do(t, tb, chromedp.Click(chromedp.CSS(`input[name=status][value="`+st+`"]`)))
	}
	waitMatches(t, tb, sum.Total)

	// The check filter, by keyboard: arrow down selects the first check.
	do(t, tb, chromedp.Focus(chromedp.CSS(`#f-check`)), chromedp.KeyEvent(kb.ArrowDown))
	first := eval[string](t, tb, `document.getElementById('f-check').value`)
	if first != rep.Checks[0].ID {
		t.Errorf("arrow down on the check filter selected %q, want %q", first, rep.Checks[0].ID)
	}
	waitMatches(t, tb, countWhere(rep, func(r findings.Result) bool { return r.CheckID == first }))
	do(t, tb, chromedp.KeyEvent(kb.ArrowUp))
	waitMatches(t, tb, sum.Total)

	// Search, typed: every word must occur in the result's text.
	do(t, tb, chromedp.SendKeys(chromedp.CSS(`#f-search`), "alice iam:CreateAccessKey"))
	want := countWhere(rep, func(r findings.Result) bool {
		ev, _ := json.Marshal(r.Evidence)
		hay := strings.ToLower(r.CheckID + " " + r.Title + " " + resourceLabel(r.Resource) + " " + r.Message + " " + string(ev))
		return strings.Contains(hay, "alice") && strings.Contains(hay, "iam:createaccesskey")
	})
	if want == 0 {
		t.Fatal("the search finds nothing in the report")
	}
	waitMatches(t, tb, want)
	tb.clean(t)

	// A screenshot of the whole page, kept beside the test's other output
	// and, with -update, as the committed copy.
	tb.load(t, true)
	shot, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() < 800 || b.Dy() < 900 {
		t.Errorf("screenshot of %v", b)
	}
	out := filepath.Join(t.ArtifactDir(), "guide-as-written.png")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes, %v)", out, len(shot), img.Bounds().Size())
	committed := filepath.Join("testdata", "html", "guide-as-written.png")
	if *update {
		if err := os.MkdirAll(filepath.Dir(committed), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(committed, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(committed)
	if err != nil {
		t.Fatalf("%v (go test ./report -run TestHTMLInBrowser -update, with LOCKDOWN_BROWSER=1, writes it)", err)
	}
	if old, err := png.Decode(bytes.NewReader(data)); err != nil || old.Bounds().Dx() != img.Bounds().Dx() {
		t.Errorf("the committed screenshot %s is not a %d-pixel wide PNG (%v); regenerate it with -update", committed, img.Bounds().Dx(), err)
	}
}

func checkLandmarksAndLabels(t *testing.T, tb *tab) {
	t.Helper()
	landmarks := eval[map[string]int](t, tb, `({
	  header: document.querySelectorAll('body > header').length,
	  main: document.querySelectorAll('main').length,
	  nav: document.querySelectorAll('nav').length,
	  footer: document.querySelectorAll('body > footer').length,
	  h1: document.querySelectorAll('h1').length,
	  search: document.querySelectorAll('[role=search]').length
	})`)
	for name, want := range map[string]int{"header": 1, "main": 1, "footer": 1, "h1": 1, "search": 1} {
		if landmarks[name] != want {
			t.Errorf("%d %s landmarks, want %d", landmarks[name], name, want)
		}
	}
	if landmarks["nav"] < 1 {
		t.Error("no nav landmark")
	}
	unlabelled := eval[[]string](t, tb, `Array.from(document.querySelectorAll('input, select, button, textarea')).filter(function (e) {
	  var name = (e.labels && Array.from(e.labels).map(function (l) { return l.textContent.trim(); }).join('')) || e.getAttribute('aria-label') || (e.tagName === 'BUTTON' ? e.textContent.trim() : '');
	  return !name;
	}).map(function (e) { return e.outerHTML.slice(0, 80); })`)
	if len(unlabelled) > 0 {
		t.Errorf("form controls without a label: %q", unlabelled)
	}
	if n := eval[int](t, tb, `document.querySelectorAll('input, select, button').length`); n < 10 {
		t.Errorf("only %d form controls", n)
	}
}

// checkContrast computes, in the page, the contrast of the main text
// styles against their background (WCAG 2 relative luminance) and wants
// at least 4.5:1 (AA for normal text).
func checkContrast(t *testing.T, tb *tab) {
	t.Helper()
	type sample struct {
		Sel   string  `json:"sel"`
		FG    string  `json:"fg"`
		BG    string  `json:"bg"`
		Ratio float64 `json:"ratio"`
	}
	samples := eval[[]sample](t, tb, `(function () {
	  function parse(c) {
	    var m = /rgba?\(([^)]+)\)/.exec(c);
	    if (!m) { return null; }
	    var p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
	    return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
	  }
	  function lum(c) {
	    function f(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
	    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
	  }
	  function background(el) {
	    for (var e = el; e; e = e.parentElement) {
	      var c = parse(getComputedStyle(e).backgroundColor);
	      if (c && c.a > 0) { return c; }
	    }
	    return { r: 255, g: 255, b: 255, a: 1 };
	  }
	  var host = document.getElementById('results');
	  // Badges of every status and severity, whether or not the list shows one now.
	  ['st-fail', 'st-pass', 'st-na', 'st-napp', 'st-other', 'sev-critical', 'sev-high', 'sev-medium', 'sev-low', 'sev-info', 'sev-other'].forEach(function (c) {
	    var s = document.createElement('span');
	    s.className = 'badge ' + c + ' probe';
	    s.textContent = c;
	    host.appendChild(s);
	  });
	  var sels = ['body', 'header.top h1', 'header.top dt', 'header.top dd', 'header.top code', 'nav.toc a', '.summary', '.total',
	    'figcaption', 'svg .lbl', 'table.chart-data th', 'table.chart-data td', 'legend', '.filters label', '.field label',
	    'button', 'select', 'input[type=search]', '.count', '#results .msg', '#results code.res', '#results code.check',
	    '#results .remediation p', '#results .remediation a', '#results pre code', '#results dl.ev dt', '#results dl.ev code',
	    '.pager span', 'footer.foot p'];
	  ['st-fail', 'st-pass', 'st-na', 'st-napp', 'st-other', 'sev-critical', 'sev-high', 'sev-medium', 'sev-low', 'sev-info', 'sev-other'].forEach(function (c) {
	    sels.push('.badge.probe.' + c);
	  });
	  var out = [];
	  sels.forEach(function (sel) {
	    var el = document.querySelector(sel);
	    if (!el) { out.push({ sel: sel, fg: 'missing', bg: '', ratio: 0 }); return; }
	    var cs = getComputedStyle(el);
	    var fg = parse(el instanceof SVGElement ? cs.fill : cs.color);
	    var bg = background(el);
	    var a = lum(fg), b = lum(bg);
	    out.push({ sel: sel, fg: JSON.stringify(fg), bg: JSON.stringify(bg), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) });
	  });
	  Array.from(document.querySelectorAll('.probe')).forEach(function (e) { e.remove(); });
	  return out;
	})()`)
	if len(samples) < 30 {
		t.Fatalf("only %d contrast samples", len(samples))
	}
	lowest := 21.0
	for _, s := range samples {
		if s.Ratio < 4.5 {
			t.Errorf("contrast of %s: %.2f:1 (text %s on %s), want at least 4.5:1", s.Sel, s.Ratio, s.FG, s.BG)
		}
		lowest = min(lowest, s.Ratio)
	}
	t.Logf("contrast: %d text styles, lowest %.2f:1", len(samples), lowest)
}

// Without JavaScript the page still shows every failing result.
func testPageWithoutScript(t *testing.T, bctx context.Context) {
	rep := guideAsWritten(t)
	sum := findings.Summarize(rep.Results)
	tb := openTab(t, bctx, writePage(t, rep, "guide-as-written.html"), false)
	tb.load(t, false)
	if got := eval[int](t, tb, `document.querySelectorAll('#static-findings ul.resources > li').length`); got != sum.Fail {
		t.Errorf("%d failing results shown without the script, want %d", got, sum.Fail)
	}
	if !eval[bool](t, tb, `document.getElementById('explorer').hidden && document.documentElement.dataset.ready === undefined`) {
		t.Error("the script ran, or the explorer shows, with scripts disabled")
	}
	if got := eval[float64](t, tb, `document.querySelector('#static-findings').getBoundingClientRect().height`); got < 200 {
		t.Errorf("the server-rendered findings are %v pixels high", got)
	}
	tb.clean(t)
}

// The hostile corpus and the HTML break-outs: no dialog, no script but the
// page's own, no element from the data, nothing loaded; the text is there.
func testHostilePage(t *testing.T, bctx context.Context) {
	rep := htmlHostileReport()
	tb := openTab(t, bctx, writePage(t, rep, "hostile.html"), true)
	tb.load(t, true)
	// Show every status and open every row's details, so the script builds
	// the evidence and remediation of each result too.
	do(t, tb, chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('input[type=checkbox]')).forEach(function (b) { if (!b.checked) { b.click(); } })`))
	waitMatches(t, tb, len(rep.Results))
	do(t, tb, chromedp.Evaluate[chromedp.Void](`Array.from(document.querySelectorAll('#results details')).forEach(function (d) { d.open = true; })`),
		chromedp.Sleep(300*time.Millisecond))
	// Also the static list, as a reader without the script sees it.
	do(t, tb, chromedp.Evaluate[chromedp.Void](`document.getElementById('static-findings').hidden = false; Array.from(document.querySelectorAll('details')).forEach(function (d) { d.open = true; })`))
	state := eval[map[string]any](t, tb, `({
	  pwned: typeof window.pwned,
	  scripts: document.scripts.length,
	  styles: document.querySelectorAll('style').length,
	  styleSheets: document.styleSheets.length,
	  foreign: document.querySelectorAll('img, iframe, object, embed, link, base, audio, video, source, [onerror], [onload], [onmouseover], [style], [src]').length,
	  metas: document.querySelectorAll('meta').length,
	  text: document.body.textContent.indexOf('</script><script>window.pwned=1</script>') >= 0,
	  evidence: document.querySelectorAll('#results dl.ev').length
	})`)
	want := map[string]any{"pwned": "undefined", "scripts": 2.0, "styles": 1.0, "styleSheets": 1.0, "foreign": 0.0, "metas": 4.0, "text": true}
	for k, v := range want {
		if state[k] != v {
			t.Errorf("%s = %v, want %v", k, state[k], v)
		}
	}
	if n, _ := state["evidence"].(float64); n < 2 {
		t.Errorf("the script rendered evidence for %v results", state["evidence"])
	}
	// A search for markup finds it as text.
	do(t, tb, chromedp.SendKeys(chromedp.CSS(`#f-search`), "<svg onload=alert(1)>"))
	waitMatches(t, tb, countWhere(rep, func(r findings.Result) bool { return strings.Contains(r.Message, "<svg onload=alert(1)>") }))
	tb.clean(t)
}

// 90,000 results: it opens, filters, searches and pages in time.
func testLargePage(t *testing.T, bctx context.Context) {
	rep := htmlLargeReport(90000)
	sum := findings.Summarize(rep.Results)
	file := writePage(t, rep, "large.html")
	st, _ := os.Stat(file)
	tb := openTab(t, bctx, file, true)
	ready := tb.load(t, true)
	if got := matches(t, tb); got != sum.Fail {
		t.Fatalf("%d matching results, want the %d failures", got, sum.Fail)
	}
	// Paging.
	if got := eval[string](t, tb, `document.getElementById('page').textContent`); got != fmt.Sprintf("Page 1 of %d", (sum.Fail+49)/50) {
		t.Errorf("pager says %q", got)
	}
	firstRow := eval[string](t, tb, `document.querySelector('#results > li code.res').textContent`)
	do(t, tb, chromedp.Click(chromedp.CSS(`#next`)))
	if got := eval[string](t, tb, `document.getElementById('page').textContent`); !strings.HasPrefix(got, "Page 2 of ") {
		t.Errorf("after next the pager says %q", got)
	}
	if got := eval[int](t, tb, `document.querySelectorAll('#results > li').length`); got != 50 {
		t.Errorf("page 2 has %d rows", got)
	}
	if got := eval[int](t, tb, `document.getElementById('results').start`); got != 51 {
		t.Errorf("page 2 starts at %d", got)
	}
	if eval[string](t, tb, `document.querySelector('#results > li code.res').textContent`) == firstRow && sum.Fail > 50 {
		t.Log("page 2 starts with the same resource as page 1 (several checks on one user)")
	}
	// A filter and a search, timed in the page (both are synchronous).
	filterMS := eval[float64](t, tb, `(function () { var t = performance.now(); document.querySelector('input[name=status][value=PASS]').click(); return performance.now() - t; })()`)
	waitMatches(t, tb, sum.Fail+sum.Pass)
	do(t, tb, chromedp.SetValue(chromedp.CSS(`#f-search`), "user-04242"))
	searchMS := eval[float64](t, tb, `(function () { var t = performance.now(); document.getElementById('filters').requestSubmit(); return performance.now() - t; })()`)
	waitMatches(t, tb, countWhere(rep, func(r findings.Result) bool {
		return (r.Status == findings.Fail || r.Status == findings.Pass) && r.Resource.Name == "user-04242"
	}))
	againMS := eval[float64](t, tb, `(function () { var t = performance.now(); document.querySelector('input[name=sev][value=critical]').click(); return performance.now() - t; })()`)
	t.Logf("90,000 results: %d bytes (%.1f MB); opened and rendered in %v; status filter %.0f ms, first search %.0f ms (builds the index), filter with search %.0f ms",
		st.Size(), float64(st.Size())/1e6, ready.Round(time.Millisecond), filterMS, searchMS, againMS)
	if ready > time.Minute || filterMS > 3000 || searchMS > 5000 || againMS > 3000 {
		t.Errorf("too slow: ready %v, filter %.0f ms, search %.0f ms, filter again %.0f ms", ready, filterMS, searchMS, againMS)
	}
	tb.clean(t)
}
