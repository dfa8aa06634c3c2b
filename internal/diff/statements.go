package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// StatementChange is one statement of a policy document added, removed or
// changed, named by its Sid or, without one, by its position ("#2").
type StatementChange struct {
	Change    string `json:"change"`
	Statement string `json:"statement"`
	// Old and New are the statement in readable form ("Allow Action [iam:*]
	// Resource [*]"); Old is empty for an added statement, New for a
	// removed one.
	Old string `json:"old,omitempty"`
	New string `json:"new,omitempty"`
	// Elements are, for a changed statement, the elements that differ:
	// "Condition: Bool aws:MultiFactorAuthPresent [true] -> none".
	Elements []string `json:"elements,omitempty"`
}

// elementOrder is the order a statement's elements are written in.
var elementOrder = []string{"Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"}

type statement struct {
	label    string
	elements map[string]string
}

func (s statement) text() string {
	var parts []string
	for _, k := range statementKeys(s.elements) {
		if k == "Effect" {
			parts = append(parts, s.elements[k])
			continue
		}
		parts = append(parts, k+" "+s.elements[k])
	}
	return strings.Join(parts, " ")
}

func statementKeys(maps ...map[string]string) []string {
	known := map[string]bool{}
	var out []string
	for _, k := range elementOrder {
		known[k] = true
		for _, m := range maps {
			if _, ok := m[k]; ok {
				out = append(out, k)
				break
			}
		}
	}
	var extra []string
	for _, k := range sortedKeys(maps...) {
		if !known[k] {
			extra = append(extra, k)
		}
	}
	return append(out, extra...)
}

// parseDocument decodes a policy document into its statements in
// readable, order-insensitive form. ok is false for a document that is not
// a JSON object.
func parseDocument(doc json.RawMessage) (version string, stmts []statement, ok bool) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return "", nil, true
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(doc, &top); err != nil {
		return "", nil, false
	}
	_ = json.Unmarshal(top["Version"], &version)
	raw := top["Statement"]
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		if len(raw) > 0 {
			list = []json.RawMessage{raw}
		}
	}
	sids := map[string]int{}
	var decoded []map[string]json.RawMessage
	for _, r := range list {
		var m map[string]json.RawMessage
		if err := json.Unmarshal(r, &m); err != nil {
			m = map[string]json.RawMessage{"Statement": r}
		}
		decoded = append(decoded, m)
		var sid string
		_ = json.Unmarshal(m["Sid"], &sid)
		if sid != "" {
			sids[sid]++
		}
	}
	for i, m := range decoded {
		var sid string
		_ = json.Unmarshal(m["Sid"], &sid)
		label := "#" + strconv.Itoa(i+1)
		switch {
		case sid != "" && sids[sid] == 1:
			label = sid
		case sid != "":
			label = sid + " " + label
		}
		st := statement{label: label, elements: map[string]string{}}
		for k, v := range m {
			if k == "Sid" {
				continue
			}
			st.elements[k] = readable(k, v)
		}
		stmts = append(stmts, st)
	}
	return version, stmts, true
}

// readable writes an element's value order-insensitively: lists sorted,
// maps by key.
func readable(element string, raw json.RawMessage) string {
	if element == "Condition" {
		if c, ok := conditionText(raw); ok {
			return c
		}
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return "[" + n.String() + "]"
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return "[" + strconv.FormatBool(b) + "]"
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if element == "Effect" {
			return s
		}
		return "[" + s + "]"
	}
	if l, ok := stringList(raw); ok {
		return "[" + strings.Join(l, ", ") + "]"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) == nil {
		var keys []string
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+" "+readable("", m[k]))
		}
		return "{" + strings.Join(parts, "; ") + "}"
	}
	var v any
	if json.Unmarshal(raw, &v) == nil {
		out, _ := json.Marshal(v)
		return string(out)
	}
	return string(raw)
}

// conditionText writes a Condition block as "Op key [values]; ...",
// operators and keys sorted.
func conditionText(raw json.RawMessage) (string, bool) {
	var ops map[string]map[string]json.RawMessage
	if json.Unmarshal(raw, &ops) != nil {
		return "", false
	}
	var parts []string
	for _, op := range sortedRawKeys(ops) {
		keys := ops[op]
		var names []string
		for k := range keys {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			parts = append(parts, op+" "+k+" "+readable("", keys[k]))
		}
	}
	return strings.Join(parts, "; "), true
}

func sortedRawKeys[T any](m map[string]T) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// stringList decodes a list of scalars as sorted strings.
func stringList(raw json.RawMessage) ([]string, bool) {
	var l []any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&l) != nil {
		return nil, false
	}
	out := make([]string, 0, len(l))
	for _, v := range l {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case json.Number, bool:
			out = append(out, fmt.Sprint(x))
		default:
			return nil, false
		}
	}
	sort.Strings(out)
	return out, true
}

// CompareDocuments lists the statements added, removed and changed from
// old to cur, matched by Sid (by position when a statement has none). A
// change of the document's Version is a change of statement "Version".
func CompareDocuments(old, cur json.RawMessage) []StatementChange {
	ov, os, ook := parseDocument(old)
	cv, cs, cok := parseDocument(cur)
	if !ook || !cok {
		if bytes.Equal(bytes.TrimSpace(old), bytes.TrimSpace(cur)) {
			return nil
		}
		return []StatementChange{{Change: Changed, Statement: "document", Old: docText(old, ook), New: docText(cur, cok)}}
	}
	var out []StatementChange
	if ov != cv && (old != nil && cur != nil) {
		out = append(out, StatementChange{Change: Changed, Statement: "Version", Old: orUnset(ov), New: orUnset(cv)})
	}
	removed, added, common := byKey(os, cs, func(s statement) string { return s.label })
	for _, s := range removed {
		out = append(out, StatementChange{Change: Removed, Statement: s.label, Old: s.text()})
	}
	for _, s := range added {
		out = append(out, StatementChange{Change: Added, Statement: s.label, New: s.text()})
	}
	for _, c := range common {
		o, n := c[0], c[1]
		var elems []string
		for _, k := range statementKeys(o.elements, n.elements) {
			ov, ok1 := o.elements[k]
			nv, ok2 := n.elements[k]
			if ok1 && ok2 && ov == nv {
				continue
			}
			if !ok1 {
				ov = "none"
			}
			if !ok2 {
				nv = "none"
			}
			elems = append(elems, k+": "+ov+" -> "+nv)
		}
		if len(elems) > 0 {
			out = append(out, StatementChange{Change: Changed, Statement: n.label, Old: o.text(), New: n.text(), Elements: elems})
		}
	}
	return out
}

func docText(doc json.RawMessage, ok bool) string {
	if !ok {
		return "not a JSON policy document"
	}
	return string(doc)
}

// DocumentStatements lists every statement of a new document as added.
func DocumentStatements(doc json.RawMessage) []StatementChange {
	return CompareDocuments(nil, doc)
}

// Summary is the one-line account of statement changes:
// "statement AllowX added; statement #2 changed (Condition: ...)".
func Summary(changes []StatementChange) string {
	var parts []string
	for _, c := range changes {
		p := "statement " + c.Statement + " " + c.Change
		if len(c.Elements) > 0 {
			p += " (" + strings.Join(c.Elements, "; ") + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}
