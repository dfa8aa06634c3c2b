package report

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// xmlNode is a generic element tree for structural checks.
type xmlNode struct {
	Name     string
	Attrs    map[string]string
	Children []*xmlNode
	Text     string
}

func parseXML(data []byte) (*xmlNode, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*xmlNode
	var root *xmlNode
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{Name: t.Name.Local, Attrs: map[string]string{}}
			for _, a := range t.Attr {
				n.Attrs[a.Name.Local] = a.Value
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			} else if root != nil {
				return nil, fmt.Errorf("more than one root element")
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("no root element")
	}
	return root, nil
}

var (
	xsdDecimal   = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)
	xsdTimestamp = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$`)
)

// checkJUnit applies the rules of the common Jenkins (jenkins-junit.xsd) and
// Maven Surefire JUnit schemas: element nesting and order, required
// attributes and their types, and counts that add up.
func checkJUnit(root *xmlNode) []string {
	var errs []string
	bad := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	count := func(n *xmlNode, attr string) int {
		v, ok := n.Attrs[attr]
		if !ok {
			bad("<%s name=%q>: missing %s", n.Name, n.Attrs["name"], attr)
			return 0
		}
		i, err := strconv.Atoi(v)
		if err != nil || i < 0 {
			bad("<%s name=%q>: %s=%q is not a non-negative integer", n.Name, n.Attrs["name"], attr, v)
		}
		return i
	}
	decimal := func(n *xmlNode, attr string) {
		if v, ok := n.Attrs[attr]; !ok || !xsdDecimal.MatchString(v) {
			bad("<%s name=%q>: %s=%q is not a decimal", n.Name, n.Attrs["name"], attr, v)
		}
	}
	if root.Name != "testsuites" {
		bad("root element is <%s>, want <testsuites>", root.Name)
		return errs
	}
	var total [4]int
	for _, suite := range root.Children {
		if suite.Name != "testsuite" {
			bad("<testsuites> contains <%s>", suite.Name)
			continue
		}
		if suite.Attrs["name"] == "" {
			bad("testsuite without a name")
		}
		want := [4]int{count(suite, "tests"), count(suite, "failures"), count(suite, "errors"), count(suite, "skipped")}
		decimal(suite, "time")
		if ts, ok := suite.Attrs["timestamp"]; ok && !xsdTimestamp.MatchString(ts) {
			bad("testsuite %q: timestamp %q is not an ISO 8601 time without zone", suite.Attrs["name"], ts)
		}
		var got [4]int
		seenCase := false
		for i, c := range suite.Children {
			switch c.Name {
			case "properties":
				if i != 0 {
					bad("testsuite %q: <properties> must come first", suite.Attrs["name"])
				}
				for _, p := range c.Children {
					if _, ok := p.Attrs["name"]; p.Name != "property" || !ok {
						bad("testsuite %q: bad property element <%s>", suite.Attrs["name"], p.Name)
					}
					if _, ok := p.Attrs["value"]; !ok {
						bad("testsuite %q: property without value", suite.Attrs["name"])
					}
				}
			case "testcase":
				seenCase = true
				got[0]++
				if c.Attrs["name"] == "" || c.Attrs["classname"] == "" {
					bad("testcase without name or classname in %q", suite.Attrs["name"])
				}
				decimal(c, "time")
				outcomes := 0
				for _, o := range c.Children {
					switch o.Name {
					case "failure":
						got[1]++
						outcomes++
						if _, ok := o.Attrs["message"]; !ok {
							bad("failure without message in %q", c.Attrs["name"])
						}
						if o.Attrs["type"] == "" {
							bad("failure without type in %q", c.Attrs["name"])
						}
					case "error":
						got[2]++
						outcomes++
					case "skipped":
						got[3]++
						outcomes++
					case "system-out", "system-err":
					default:
						bad("testcase %q contains <%s>", c.Attrs["name"], o.Name)
					}
				}
				if outcomes > 1 {
					bad("testcase %q has %d outcomes", c.Attrs["name"], outcomes)
				}
			case "system-out", "system-err":
			default:
				bad("testsuite %q contains <%s>", suite.Attrs["name"], c.Name)
			}
		}
		if !seenCase {
			bad("testsuite %q has no testcase", suite.Attrs["name"])
		}
		if got != want {
			bad("testsuite %q: counted tests/failures/errors/skipped %v, attributes say %v", suite.Attrs["name"], got, want)
		}
		for i := range total {
			total[i] += got[i]
		}
	}
	if want := [4]int{count(root, "tests"), count(root, "failures"), count(root, "errors"), count(root, "skipped")}; want != total {
		bad("testsuites: totals %v, attributes say %v", total, want)
	}
	decimal(root, "time")
	return errs
}

func TestJUnitGoldensAreValid(t *testing.T) {
	for _, f := range goldenFiles(t, ".junit.xml") {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := parseXML(data)
		if err != nil {
			t.Errorf("%s: not well-formed XML: %v", f, err)
			continue
		}
		for _, e := range checkJUnit(root) {
			t.Errorf("%s: %s", f, e)
		}
	}
}

func TestJUnitCheckerCatchesMistakes(t *testing.T) {
	for name, doc := range map[string]string{
		"wrong counts":   `<testsuites tests="1" failures="0" errors="0" skipped="0" time="0"><testsuite name="a" tests="1" failures="1" errors="0" skipped="0" time="0"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>`,
		"missing time":   `<testsuites tests="1" failures="0" errors="0" skipped="0" time="0"><testsuite name="a" tests="1" failures="0" errors="0" skipped="0"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>`,
		"two outcomes":   `<testsuites tests="1" failures="1" errors="0" skipped="1" time="0"><testsuite name="a" tests="1" failures="1" errors="0" skipped="1" time="0"><testcase name="x" classname="c" time="0"><failure message="m" type="t"/><skipped/></testcase></testsuite></testsuites>`,
		"zoned stamp":    `<testsuites tests="1" failures="0" errors="0" skipped="0" time="0"><testsuite name="a" tests="1" failures="0" errors="0" skipped="0" time="0" timestamp="2026-01-01T00:00:00Z"><testcase name="x" classname="c" time="0"/></testsuite></testsuites>`,
		"no failure typ": `<testsuites tests="1" failures="1" errors="0" skipped="0" time="0"><testsuite name="a" tests="1" failures="1" errors="0" skipped="0" time="0"><testcase name="x" classname="c" time="0"><failure message="m"/></testcase></testsuite></testsuites>`,
	} {
		root, err := parseXML([]byte(doc))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if errs := checkJUnit(root); len(errs) == 0 {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestJUnitContent(t *testing.T) {
	rep := loadFixture(t, "mixed")
	var buf bytes.Buffer
	if err := Render(&buf, "junit", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	root, err := parseXML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s := findings.Summarize(rep.Results)
	if root.Attrs["tests"] != strconv.Itoa(s.Total) || root.Attrs["failures"] != strconv.Itoa(s.Fail) || root.Attrs["skipped"] != strconv.Itoa(s.NotAssessed+s.NotApplicable) {
		t.Errorf("testsuites counts %v, want %d/%d/%d", root.Attrs, s.Total, s.Fail, s.NotAssessed+s.NotApplicable)
	}
	var sections []string
	for _, suite := range root.Children {
		sections = append(sections, suite.Attrs["name"])
	}
	if got := strings.Join(sections, ","); got != "AWS root user,IAM Policies,IAM Roles,IAM Users,AWS CLI,Other" {
		t.Errorf("suites = %s", got)
	}
	// The failure carries the severity as its type and the message.
	first := root.Children[0].Children[1] // after <properties>
	if first.Attrs["classname"] != "root-mfa-enabled" || first.Attrs["name"] != "Root user has MFA enabled: <root_account>" {
		t.Errorf("first case = %v", first.Attrs)
	}
	if f := first.Children[0]; f.Name != "failure" || f.Attrs["type"] != "critical" || !strings.Contains(f.Text, "aws iam get-account-summary") {
		t.Errorf("first failure = %v %q", f.Attrs, f.Text)
	}
	// An unknown status is an error, never a pass.
	odd := loadFixture(t, "clean")
	odd.Results[0].Status = "MAYBE"
	buf.Reset()
	if err := Render(&buf, "junit", odd, Options{}); err != nil {
		t.Fatal(err)
	}
	oddRoot, err := parseXML(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if errs := checkJUnit(oddRoot); len(errs) > 0 || oddRoot.Attrs["errors"] != "1" {
		t.Errorf("unknown status: errors=%q, problems %v", oddRoot.Attrs["errors"], errs)
	}
	// Control characters cannot break the XML.
	rep.Results[0].Message = "bad \x00\x1b byte ]]> end"
	buf.Reset()
	if err := Render(&buf, "junit", rep, Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := parseXML(buf.Bytes()); err != nil {
		t.Errorf("control characters made invalid XML: %v", err)
	}
}

// Testcases are named by the check's title and the resource's name, unique
// within their suite: two resources of one name are told apart by their
// ARNs, and results that still share a name are numbered in order.
func TestJUnitCaseNames(t *testing.T) {
	checks := map[string]findings.Check{"mfa": {ID: "mfa", Title: "Users must have MFA enabled"}}
	user := func(path, name string) findings.Resource {
		return findings.Resource{ARN: "arn:aws:iam::123456789012:user/" + path + name, Name: name}
	}
	results := []findings.Result{
		{CheckID: "mfa", Resource: user("", "alice")},
		{CheckID: "mfa", Resource: user("eng/", "bob")},
		{CheckID: "mfa", Resource: user("ops/", "bob")},
		{CheckID: "keys", Title: "Keys are rotated", Resource: user("", "alice"), Detail: "key 1"},
		{CheckID: "keys", Title: "Keys are rotated", Resource: user("", "alice"), Detail: "key 2"},
		{CheckID: "dup", Resource: findings.Resource{Name: "x"}},
		{CheckID: "dup", Resource: findings.Resource{Name: "x"}},
		{CheckID: "dup", Resource: findings.Resource{Name: "x"}},
		{CheckID: "dup", Resource: findings.Resource{Name: "x #2"}},
		{CheckID: "ctl", Title: "Bad\x1b[2J\ntitle", Resource: findings.Resource{Name: "n\u202e"}},
	}
	want := []string{
		"Users must have MFA enabled: alice",
		"Users must have MFA enabled: arn:aws:iam::123456789012:user/eng/bob",
		"Users must have MFA enabled: arn:aws:iam::123456789012:user/ops/bob",
		"Keys are rotated: alice (key 1)",
		"Keys are rotated: alice (key 2)",
		"dup: x",
		"dup: x #3",
		"dup: x #4",
		"dup: x #2",
		`Bad\x1b[2J\ntitle: n\u202e`,
	}
	got := caseNames(results, checks)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("case %d: %q, want %q", i, got[i], want[i])
		}
	}
	// The same results give the same names.
	if again := caseNames(results, checks); strings.Join(again, "\n") != strings.Join(got, "\n") {
		t.Error("names differ between two runs")
	}
}

// In every golden JUnit file, testcase names are unique within a suite.
func TestJUnitCaseNamesUniqueInGoldens(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.junit.xml"))
	more, _ := filepath.Glob(filepath.Join("..", "internal", "cli", "testdata", "golden", "*.junit.xml"))
	files = append(files, more...)
	if len(files) < 10 {
		t.Fatalf("only %d JUnit files", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		root, err := parseXML(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, suite := range root.Children {
			seen := map[string]bool{}
			for _, c := range suite.Children {
				if c.Name != "testcase" {
					continue
				}
				if seen[c.Attrs["name"]] {
					t.Errorf("%s: suite %q has two testcases named %q", f, suite.Attrs["name"], c.Attrs["name"])
				}
				seen[c.Attrs["name"]] = true
			}
		}
	}
}
