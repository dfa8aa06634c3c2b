// Package waivers reads a waivers file (lockdown.waivers/v1), checks it and
// applies it to a report's results: a waived FAIL stays a FAIL with the
// waiver attached, and an expired waiver is attached with Expired set so
// the finding counts again. Waivers never touch a result that is not a
// FAIL.
package waivers

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// SchemaV1 is the waivers file's schema identifier.
const SchemaV1 = "lockdown.waivers/v1"

// DefaultMaxDays is how far ahead an expiry may be, by default.
const DefaultMaxDays = 365

// SchemaJSON is the published JSON Schema of a waivers file.
//
//go:embed waivers.schema.json
var SchemaJSON []byte

const dateLayout = "2006-01-02"

// Error is a malformed waivers file: the file, the line and the field at
// fault.
type Error struct {
	File    string
	Line    int    // 0 when the fault has no line (an empty file)
	Field   string // e.g. waivers[2].expires; "" for the document
	Problem string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	b.WriteString(": ")
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	b.WriteString(e.Problem)
	return b.String()
}

// Entry is one waiver of a file.
type Entry struct {
	findings.Waiver
	expires time.Time // the day it expires, 00:00 UTC
}

// File is a parsed waivers file.
type File struct {
	Path    string
	Entries []Entry
}

// Parse decodes a waivers file strictly: unknown or repeated keys, a
// missing check/control, resource/tag, reason, owner or expires, or a
// value of the wrong kind is an *Error naming the file, line and field.
func Parse(path string, data []byte) (*File, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, msg := yamlErr(err)
		return nil, &Error{File: path, Line: line, Problem: msg}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil, &Error{File: path, Problem: "empty file; want a mapping with schema: " + SchemaV1 + " and waivers"}
	}
	p := parser{path: path}
	root := doc.Content[0]
	fields, err := p.mapping(root, "", []string{"schema", "waivers"})
	if err != nil {
		return nil, err
	}
	schema, ok := fields["schema"]
	if !ok {
		return nil, p.errf(root, "schema", "missing; want %s", SchemaV1)
	}
	if s, err := p.str(schema, "schema"); err != nil {
		return nil, err
	} else if s != SchemaV1 {
		return nil, p.errf(schema, "schema", "%q is not supported; want %s", s, SchemaV1)
	}
	list, ok := fields["waivers"]
	if !ok {
		return nil, p.errf(root, "waivers", "missing; want a list of waivers")
	}
	if list.Kind != yaml.SequenceNode {
		return nil, p.errf(list, "waivers", "want a list of waivers")
	}
	f := &File{Path: path}
	for i, n := range list.Content {
		e, err := p.entry(n, fmt.Sprintf("waivers[%d]", i))
		if err != nil {
			return nil, err
		}
		f.Entries = append(f.Entries, e)
	}
	return f, nil
}

// yamlErr splits a yaml.v3 syntax error ("yaml: line 3: ...") into its
// line and problem.
func yamlErr(err error) (int, string) {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var line int
	if _, e := fmt.Sscanf(msg, "line %d:", &line); e == nil {
		_, rest, _ := strings.Cut(msg, ":")
		return line, strings.TrimSpace(rest)
	}
	return 0, msg
}

type parser struct{ path string }

func (p parser) errf(n *yaml.Node, field, format string, a ...any) error {
	return &Error{File: p.path, Line: n.Line, Field: field, Problem: fmt.Sprintf(format, a...)}
}

// mapping returns a mapping node's values by key, refusing keys not in
// allowed and keys given twice.
func (p parser) mapping(n *yaml.Node, field string, allowed []string) (map[string]*yaml.Node, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errf(n, orDoc(field), "want a mapping")
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		name := join(field, k.Value)
		if k.Kind != yaml.ScalarNode {
			return nil, p.errf(k, orDoc(field), "keys must be plain names")
		}
		if !contains(allowed, k.Value) {
			return nil, p.errf(k, name, "unknown field (known: %s)", strings.Join(allowed, ", "))
		}
		if _, dup := out[k.Value]; dup {
			return nil, p.errf(k, name, "given twice")
		}
		out[k.Value] = v
	}
	return out, nil
}

// str is a non-empty scalar's text.
func (p parser) str(n *yaml.Node, field string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errf(n, field, "want a non-empty string")
	}
	s := strings.TrimSpace(n.Value)
	if s == "" {
		return "", p.errf(n, field, "want a non-empty string")
	}
	return s, nil
}

var entryFields = []string{"check", "control", "resource", "tag", "reason", "owner", "expires", "ticket"}

func (p parser) entry(n *yaml.Node, field string) (Entry, error) {
	var e Entry
	fields, err := p.mapping(n, field, entryFields)
	if err != nil {
		return e, err
	}
	e.Line = n.Line
	get := func(key string, required bool) (string, error) {
		v, ok := fields[key]
		if !ok {
			if required {
				return "", p.errf(n, join(field, key), "missing (a waiver needs check or control, resource or tag, reason, owner and expires)")
			}
			return "", nil
		}
		return p.str(v, join(field, key))
	}
	_, hasCheck := fields["check"]
	_, hasControl := fields["control"]
	switch {
	case hasCheck && hasControl:
		return e, p.errf(fields["control"], join(field, "control"), "give check or control, not both")
	case !hasCheck && !hasControl:
		return e, p.errf(n, join(field, "check"), "missing: a waiver names a check (LD-ADM-03) or a control (cis-aws-5.0/1.15)")
	}
	if e.Check, err = get("check", false); err != nil {
		return e, err
	}
	if e.Control, err = get("control", false); err != nil {
		return e, err
	}
	if hasControl {
		fw, id, ok := strings.Cut(e.Control, "/")
		if !ok || fw == "" || id == "" {
			return e, p.errf(fields["control"], join(field, "control"), "%q: want FRAMEWORK/CONTROL, e.g. cis-aws-5.0/1.15", e.Control)
		}
	}
	_, hasRes := fields["resource"]
	tagNode, hasTag := fields["tag"]
	switch {
	case hasRes && hasTag:
		return e, p.errf(tagNode, join(field, "tag"), "give resource or tag, not both")
	case !hasRes && !hasTag:
		return e, p.errf(n, join(field, "resource"), "missing: a waiver names a resource (an ARN or a glob) or a tag")
	}
	if e.Resource, err = get("resource", false); err != nil {
		return e, err
	}
	if hasTag {
		tf := join(field, "tag")
		if tagNode.Kind != yaml.MappingNode || len(tagNode.Content) == 0 {
			return e, p.errf(tagNode, tf, "want a mapping of tag keys to values, e.g. {team: platform}")
		}
		e.Tag = map[string]string{}
		for i := 0; i+1 < len(tagNode.Content); i += 2 {
			k, v := tagNode.Content[i], tagNode.Content[i+1]
			key, err := p.str(k, tf)
			if err != nil {
				return e, err
			}
			if _, dup := e.Tag[key]; dup {
				return e, p.errf(k, tf+"."+key, "given twice")
			}
			if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
				return e, p.errf(v, tf+"."+key, "want a string value")
			}
			e.Tag[key] = v.Value
		}
	}
	if e.Reason, err = get("reason", true); err != nil {
		return e, err
	}
	if e.Owner, err = get("owner", true); err != nil {
		return e, err
	}
	if e.Ticket, err = get("ticket", false); err != nil {
		return e, err
	}
	exp, err := get("expires", true)
	if err != nil {
		return e, err
	}
	t, perr := time.Parse(dateLayout, exp)
	if perr != nil {
		return e, p.errf(fields["expires"], join(field, "expires"), "%q: want a date, YYYY-MM-DD", exp)
	}
	e.Expires, e.expires = exp, t
	return e, nil
}

// Validate refuses expiries more than maxDays after the day of now (the
// audit's reference time): a waiver must be reviewed at least that often.
func (f *File) Validate(now time.Time, maxDays int) error {
	today := day(now)
	limit := today.AddDate(0, 0, maxDays)
	for i, e := range f.Entries {
		if e.expires.After(limit) {
			return &Error{File: f.Path, Line: e.Line, Field: fmt.Sprintf("waivers[%d].expires", i),
				Problem: fmt.Sprintf("%s is more than %d days after %s (--waiver-max-days)", e.Expires, maxDays, today.Format(dateLayout))}
		}
	}
	return nil
}

// Expired reports whether the entry no longer applies on the day of now:
// a waiver is in force through its expiry day.
func (e Entry) Expired(now time.Time) bool { return day(now).After(e.expires) }

func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Describe names the entry for a warning, e.g.
// `line 4: check LD-ADM-03 on resource "arn:...:role/BreakGlass*"`.
func (e Entry) Describe() string {
	what := "check " + e.Check
	if e.Control != "" {
		what = "control " + e.Control
	}
	on := fmt.Sprintf("resource %q", e.Resource)
	if e.Tag != nil {
		keys := make([]string, 0, len(e.Tag))
		for k := range e.Tag {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var kv []string
		for _, k := range keys {
			kv = append(kv, fmt.Sprintf("%s=%s", k, e.Tag[k]))
		}
		on = "tag " + strings.Join(kv, ",")
	}
	return fmt.Sprintf("line %d: %s on %s", e.Line, what, on)
}

func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}

func orDoc(field string) string {
	if field == "" {
		return "document"
	}
	return field
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
