package htmltest

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/cli"
	"github.com/lockdown-dev/lockdown/internal/term"
)

func run(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	streams := &term.IO{In: strings.NewReader(""), Out: &out, Err: &errb, Env: func(string) (string, bool) { return "", false }}
	if code := cli.Run(args, streams); code != cli.ExitOK {
		t.Fatalf("lockdown %s: exit %d: %s", strings.Join(args, " "), code, errb.String())
	}
	return out.String()
}

// The elements and attributes the page's template writes.
var (
	elements = strings.Fields(`html head meta title style body a header h1 h2 h3 h4 h5 dl div dt dd code nav ul
		ol li main section p strong span figure figcaption svg g text rect table caption thead tbody tr th td
		article pre details summary form fieldset legend label input select option button footer script br`)
	attributes = strings.Fields(`lang charset http-equiv content name class href id aria-label aria-labelledby role
		aria-live viewBox width height xmlns x y data-count hidden type value checked for autocomplete placeholder
		selected rel scope`)
)

// The hostile snapshot (names, tags, Sids and policy text carrying
// <script>, terminal escapes, CI commands and bidi overrides), audited with
// every framework, gives a page whose every element, attribute and script
// is the template's own; the data block holds every result, and the
// markup of the account reaches the page only as text.
func TestHostileSnapshotPage(t *testing.T) {
	fws, err := frameworks.Load()
	if err != nil {
		t.Fatal(err)
	}
	args := []string{"audit", "--snapshot", filepath.Join("..", "..", "testdata", "snapshots", "hostile.json"), "--fail-on", "none", "--allow-incomplete"}
	for _, fw := range fws {
		args = append(args, "--framework", fw.Name)
	}
	page := run(t, append(args, "--format", "html")...)
	var report struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(run(t, append(args, "--format", "json")...)), &report); err != nil {
		t.Fatal(err)
	}

	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	allowedEl, allowedAttr := set(elements), set(attributes)
	var scripts []*html.Node
	var body strings.Builder
	var walk func(n *html.Node, inBody bool)
	walk = func(n *html.Node, inBody bool) {
		switch n.Type {
		case html.ElementNode:
			if !allowedEl[n.Data] {
				t.Errorf("an element <%s> the template does not write", n.Data)
			}
			for _, a := range n.Attr {
				if !allowedAttr[a.Key] {
					t.Errorf("<%s> has an attribute %q the template does not write", n.Data, a.Key)
				}
				if a.Key == "href" && !strings.HasPrefix(a.Val, "#") && !strings.HasPrefix(a.Val, "https://") {
					t.Errorf("a link to %q", a.Val)
				}
			}
			if n.Data == "script" {
				scripts = append(scripts, n)
			}
			inBody = inBody || n.Data == "main"
		case html.CommentNode:
			t.Errorf("a comment %.60q", n.Data)
		case html.TextNode:
			if inBody {
				body.WriteString(n.Data)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inBody)
		}
	}
	walk(doc, false)
	if len(scripts) != 2 {
		t.Fatalf("%d scripts, want the data block and the page's script", len(scripts))
	}
	data := scripts[0].FirstChild
	if data == nil || regexp.MustCompile(`(?i)</script|<!--`).MatchString(data.Data) {
		t.Fatal("the data block is empty or holds </script or <!--")
	}
	var block struct {
		Results []json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal([]byte(data.Data), &block); err != nil {
		t.Fatalf("the data block: %v", err)
	}
	if len(block.Results) != len(report.Results) || len(block.Results) == 0 {
		t.Errorf("the data block has %d results, the JSON report %d", len(block.Results), len(report.Results))
	}
	if !strings.Contains(body.String(), "<script>alert(1)</script>") {
		t.Error("the account's markup does not reach the page as text")
	}
	for _, r := range page {
		if (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			t.Errorf("a raw control %U", r)
			break
		}
	}
}

func set(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}
