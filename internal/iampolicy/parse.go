package iampolicy

import (
	"bytes"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"
)

// Parse parses one policy document (identity, boundary, trust or resource
// policy). name is used in errors. Errors are *ParseError.
//
// Accepted shapes follow the IAM JSON policy grammar
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html):
// Statement as object or array; Action/NotAction/Resource/NotResource as a
// string or array; Principal/NotPrincipal as "*" or a map of AWS, Service,
// Federated, CanonicalUser to a string or array; JSON numbers and booleans
// in condition values are taken as their text.
func Parse(name string, doc []byte) (*Policy, error) {
	p, err := parse(name, doc)
	if err != nil {
		err.Policy = name
		return nil, err
	}
	return p, nil
}

func parse(name string, doc []byte) (*Policy, *ParseError) {
	var top map[string]json.RawMessage
	if err := strictUnmarshal(doc, &top); err != nil {
		return nil, errf("", "not a JSON object: %v", err)
	}
	if top == nil {
		return nil, errf("", "document is null")
	}
	p := &Policy{Name: name}
	for k := range top {
		switch k {
		case "Version", "Id", "Statement":
		default:
			return nil, errf(k, "unknown top-level element (expected Version, Id, Statement)")
		}
	}
	if raw, ok := top["Version"]; ok {
		if err := json.Unmarshal(raw, &p.Version); err != nil {
			return nil, errf("Version", "must be a string")
		}
		if p.Version != Version2012 && p.Version != Version2008 {
			return nil, errf("Version", "unsupported version %q (expected %q or %q)", p.Version, Version2012, Version2008)
		}
	}
	if raw, ok := top["Id"]; ok {
		if err := json.Unmarshal(raw, &p.ID); err != nil {
			return nil, errf("Id", "must be a string")
		}
	}
	raw, ok := top["Statement"]
	if !ok {
		return nil, errf("Statement", "missing")
	}
	var stmts []json.RawMessage
	switch firstByte(raw) {
	case '{':
		stmts = []json.RawMessage{raw}
	case '[':
		if err := json.Unmarshal(raw, &stmts); err != nil {
			return nil, errf("Statement", "invalid array: %v", err)
		}
	default:
		return nil, errf("Statement", "must be an object or an array of objects")
	}
	vars := p.Version == Version2012
	p.Statements = make([]Statement, 0, len(stmts))
	for i, sraw := range stmts {
		st := Statement{Index: i + 1}
		if err := parseStatement(&st, sraw, vars); err != nil {
			return nil, err.withStatement(&st)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func strictUnmarshal(doc []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(doc))
	if err := dec.Decode(v); err != nil {
		return err
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return errTrailing
	}
	return nil
}

type constErr string

func (e constErr) Error() string { return string(e) }

const errTrailing = constErr("trailing data after the JSON value")

func firstByte(raw []byte) byte {
	for _, b := range raw {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b
	}
	return 0
}

func parseStatement(st *Statement, raw json.RawMessage, vars bool) *ParseError {
	if firstByte(raw) != '{' {
		return errf("", "statement must be a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return errf("", "invalid statement: %v", err)
	}
	// Read Sid first so later errors can name the statement by it.
	if r, ok := m["Sid"]; ok {
		if err := json.Unmarshal(r, &st.Sid); err != nil {
			return errf("Sid", "must be a string")
		}
	}
	for k := range m {
		switch k {
		case "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal", "NotPrincipal", "Condition":
		default:
			return errf(k, "unknown statement element")
		}
	}
	r, ok := m["Effect"]
	if !ok {
		return errf("Effect", "missing")
	}
	if err := json.Unmarshal(r, &st.Effect); err != nil {
		return errf("Effect", "must be a string")
	}
	if st.Effect != "Allow" && st.Effect != "Deny" {
		return errf("Effect", "must be exactly \"Allow\" or \"Deny\", got %q", st.Effect)
	}

	_, hasA := m["Action"]
	_, hasNA := m["NotAction"]
	switch {
	case hasA && hasNA:
		return errf("Action", "Action and NotAction are mutually exclusive")
	case !hasA && !hasNA:
		return errf("Action", "statement needs Action or NotAction")
	}
	field := "Action"
	if hasNA {
		field = "NotAction"
		st.notAction = true
	}
	list, err := stringOrList(m[field])
	if err != nil {
		return errf(field, "%s", err.Error())
	}
	for _, a := range list {
		if a != "*" && !strings.Contains(a, ":") {
			return errf(field, "action %q is not of the form service:Action", a)
		}
		st.actions = append(st.actions, compileGlob(a))
	}
	if hasNA {
		st.NotAction = list
	} else {
		st.Action = list
	}

	_, hasR := m["Resource"]
	_, hasNR := m["NotResource"]
	switch {
	case hasR && hasNR:
		return errf("Resource", "Resource and NotResource are mutually exclusive")
	case !hasR && !hasNR:
		st.anyResource = true
	default:
		field = "Resource"
		if hasNR {
			field = "NotResource"
			st.notResource = true
		}
		list, err := stringOrList(m[field])
		if err != nil {
			return errf(field, "%s", err.Error())
		}
		for _, r := range list {
			st.resources = append(st.resources, compileResource(r, vars))
		}
		if hasNR {
			st.NotResource = list
		} else {
			st.Resource = list
		}
	}

	_, hasP := m["Principal"]
	_, hasNP := m["NotPrincipal"]
	if hasP && hasNP {
		return errf("Principal", "Principal and NotPrincipal are mutually exclusive")
	}
	if hasP {
		ps, perr := parsePrincipal(m["Principal"])
		if perr != nil {
			perr.Field = "Principal" + perr.Field
			return perr
		}
		st.Principal = ps
	}
	if hasNP {
		ps, perr := parsePrincipal(m["NotPrincipal"])
		if perr != nil {
			perr.Field = "NotPrincipal" + perr.Field
			return perr
		}
		st.NotPrincipal = ps
	}

	if r, ok := m["Condition"]; ok {
		conds, cerr := parseConditions(r, vars)
		if cerr != nil {
			return cerr
		}
		st.Conditions = conds
	}
	return nil
}

type listErr string

func (e listErr) Error() string { return string(e) }

func stringOrList(raw json.RawMessage) ([]string, error) {
	switch firstByte(raw) {
	case '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		return []string{s}, nil
	case '[':
		var l []string
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, listErr("must be a string or an array of strings")
		}
		return l, nil
	}
	return nil, listErr("must be a string or an array of strings")
}

func parsePrincipal(raw json.RawMessage) (*PrincipalSpec, *ParseError) {
	ps := &PrincipalSpec{}
	switch firstByte(raw) {
	case '"':
		var s string
		_ = json.Unmarshal(raw, &s)
		if s != "*" {
			return nil, errf("", "a string principal must be \"*\", got %q", s)
		}
		ps.Wildcard = true
		return ps, nil
	case '{':
	default:
		return nil, errf("", "must be \"*\" or an object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errf("", "invalid object: %v", err)
	}
	for k, v := range m {
		l, err := stringOrList(v)
		if err != nil {
			return nil, errf("."+k, "%s", err.Error())
		}
		switch k {
		case "AWS":
			for _, a := range l {
				if a == "*" {
					ps.Wildcard = true
				}
			}
			ps.AWS = l
		case "Service":
			ps.Service = l
		case "Federated":
			ps.Federated = l
		case "CanonicalUser":
			ps.CanonicalUser = l
		default:
			return nil, errf("."+k, "unknown principal type (expected AWS, Service, Federated or CanonicalUser)")
		}
	}
	return ps, nil
}

func parseConditions(raw json.RawMessage, vars bool) ([]Condition, *ParseError) {
	if firstByte(raw) != '{' {
		return nil, errf("Condition", "must be an object of operator -> {key: value}")
	}
	var ops map[string]json.RawMessage
	if err := json.Unmarshal(raw, &ops); err != nil {
		return nil, errf("Condition", "invalid object: %v", err)
	}
	// Deterministic order for explanations and tests.
	opNames := make([]string, 0, len(ops))
	for k := range ops {
		opNames = append(opNames, k)
	}
	sort.Strings(opNames)
	var out []Condition
	for _, opName := range opNames {
		field := "Condition." + opName
		qual, base, ifExists, info, perr := parseOperator(opName)
		if perr != nil {
			perr.Field = field
			return nil, perr
		}
		body := ops[opName]
		if firstByte(body) != '{' {
			return nil, errf(field, "must be an object of condition key -> value(s)")
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(body, &keys); err != nil {
			return nil, errf(field, "invalid object: %v", err)
		}
		knames := make([]string, 0, len(keys))
		for k := range keys {
			knames = append(knames, k)
		}
		sort.Strings(knames)
		for _, key := range knames {
			kf := field + "." + key
			vals, err := conditionValues(keys[key])
			if err != nil {
				return nil, errf(kf, "%s", err.Error())
			}
			c := Condition{Operator: opName, Qualifier: qual, Base: base, IfExists: ifExists, Key: key, Values: vals, op: info}
			c.compiled = compileValues(info, vals, vars)
			c.multi = MultivaluedKey(key)
			out = append(out, c)
		}
	}
	return out, nil
}

// conditionValues accepts a string, number or boolean, or an array of them.
func conditionValues(raw json.RawMessage) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	one := func(x any) (string, bool) {
		switch t := x.(type) {
		case string:
			return t, true
		case json.Number:
			return t.String(), true
		case bool:
			return strconv.FormatBool(t), true
		}
		return "", false
	}
	if arr, ok := v.([]any); ok {
		out := make([]string, 0, len(arr))
		for _, x := range arr {
			s, ok := one(x)
			if !ok {
				return nil, listErr("condition values must be strings, numbers or booleans")
			}
			out = append(out, s)
		}
		return out, nil
	}
	s, ok := one(v)
	if !ok {
		return nil, listErr("condition value must be a string, number, boolean or an array of them")
	}
	return []string{s}, nil
}

func parseOperator(name string) (qual, base string, ifExists bool, info *opInfo, perr *ParseError) {
	rest := name
	if i := strings.IndexByte(rest, ':'); i >= 0 {
		q := rest[:i]
		switch {
		case strings.EqualFold(q, "ForAllValues"):
			qual = "ForAllValues"
		case strings.EqualFold(q, "ForAnyValue"):
			qual = "ForAnyValue"
		default:
			return "", "", false, nil, errf("", "unknown set qualifier %q (expected ForAllValues or ForAnyValue)", q)
		}
		rest = rest[i+1:]
	}
	if len(rest) > len("IfExists") && strings.EqualFold(rest[len(rest)-len("IfExists"):], "IfExists") {
		ifExists = true
		rest = rest[:len(rest)-len("IfExists")]
	}
	info = lookupOp(rest)
	if info == nil {
		return "", "", false, nil, errf("", "unknown condition operator %q", name)
	}
	if info.family == famNull && ifExists {
		return "", "", false, nil, errf("", "the Null operator does not take the IfExists suffix")
	}
	return qual, info.name, ifExists, info, nil
}
