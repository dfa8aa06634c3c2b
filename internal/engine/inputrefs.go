package engine

import (
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"
)

import ()

// checkInputFieldsStage checks every reference into the input document
// against the input schema, including the maps OPA's type checker cannot
// see into: it reads a JSON Schema object's properties but not its
// additionalProperties, so without this stage `input.users[_].nmae` (users
// is keyed by ARN) would compile and never match anything; it does not see
// through a nullable value either (input.root is an object or null).
//
// A reference is followed through what it is bound to: local variables
// (`u := input.users[_]`, `some u in input.users`, `every u in ...`), in
// rule bodies and comprehensions; rules whose value is a part of input
// (`users := input.users`) or a set of parts of input (`admins contains u
// if some u in input.users ...`); and the arguments of functions, when every
// call from a non-test module passes a part of input (`verdict(u)` called
// with members of input.users; a helper called with users and roles is
// followed into both, and a reference is an error only when both reject
// it). The path of object.get(x, path, default) on a part of input is
// checked like a reference. A value built by any other built-in or by a
// comprehension is not followed.
// Test modules are not checked here: their inputs are fixtures, validated
// when the tests run (InstrumentFixtures, InstrumentArguments).
func checkInputFieldsStage(schema map[string]any) ast.CompilerStageDefinition {
	return ast.CompilerStageDefinition{
		Name:       "CheckInputFields",
		MetricName: "compile_stage_check_input_fields",
		Stage: func(c *ast.Compiler) *ast.Error {
			names := make([]string, 0, len(c.Modules))
			for name := range c.Modules {
				if !isTestFile(name) {
					names = append(names, name)
				}
			}
			sort.Strings(names)
			var rules []*ast.Rule
			for _, name := range names {
				rules = append(rules, c.Modules[name].Rules...)
			}
			ic := &inputChecker{schema: schema, globals: map[string][]bound{},
				exprs: map[*ast.Rule][]*ast.Expr{}, paths: map[*ast.Rule]string{}}
			ic.bindGlobals(rules)
			var errs ast.Errors
			seen := map[string]bool{}
			for _, r := range rules {
				for _, e := range ic.checkRule(r) {
					if k := e.Error(); !seen[k] {
						seen[k] = true
						errs = append(errs, e)
					}
				}
			}
			// OPA's type checker already reports what it can see.
			reported := map[string]bool{}
			for _, e := range c.Errors {
				if e.Location != nil {
					reported[e.Location.String()] = true
				}
			}
			for _, e := range errs {
				if e.Location == nil || !reported[e.Location.String()] {
					c.Errors = append(c.Errors, e)
				}
			}
			return nil
		},
	}
}

// bound is what a variable, rule or function argument is bound to: the
// schema of a part of input, and that part as a reference for messages.
type bound struct {
	schema map[string]any
	text   string
}

type inputChecker struct {
	schema map[string]any
	// globals are the rules (by path) and function arguments (path#index)
	// known to be parts of input: one alternative per distinct part.
	globals map[string][]bound
	// exprs and paths memoise each rule's expressions and full path.
	exprs map[*ast.Rule][]*ast.Expr
	paths map[*ast.Rule]string
}

func (ic *inputChecker) rulePath(r *ast.Rule) string {
	p, ok := ic.paths[r]
	if !ok {
		p = rulePath(r)
		ic.paths[r] = p
	}
	return p
}

func (ic *inputChecker) ruleExprs(r *ast.Rule) []*ast.Expr {
	exprs, ok := ic.exprs[r]
	if !ok {
		ast.WalkExprs(r, func(e *ast.Expr) bool {
			exprs = append(exprs, e)
			return false
		})
		ic.exprs[r] = exprs
	}
	return exprs
}

// rulePath is a rule's full path, "" when its head is not ground.
func rulePath(r *ast.Rule) string {
	ref := r.Head.Ref()
	if !ref.IsGround() || r.Module == nil {
		return ""
	}
	return r.Module.Package.Path.Extend(ref[:1].Concat(ref[1:])).String()
}

func argKey(path string, i int) string { return fmt.Sprintf("%s#%d", path, i) }

// bindGlobals finds, to a fixed point, the rules and function arguments
// bound to parts of input: every definition (or call) must pass one.
func (ic *inputChecker) bindGlobals(rules []*ast.Rule) {
	funcs := map[string]int{} // function path -> arity
	for _, r := range rules {
		if p := ic.rulePath(r); p != "" && len(r.Head.Args) > 0 {
			funcs[p] = len(r.Head.Args)
		}
	}
	for range 8 {
		seen := map[string][][]bound{} // key -> one per site; nil is "not input"
		for _, r := range rules {
			p := ic.rulePath(r)
			for rr := r; rr != nil; rr = rr.Else {
				env := ic.env(rr, r)
				switch {
				case p == "" || len(r.Head.Args) > 0:
				case r.Head.RuleKind() == ast.SingleValue && rr.Head.Key == nil && rr.Head.Value != nil:
					seen[p] = append(seen[p], ic.resolve(rr.Head.Value, env))
				case r.Head.RuleKind() == ast.MultiValue && rr.Head.Key != nil:
					// A set of parts of input: an array of them to the walk.
					var set []bound
					for _, b := range ic.resolve(rr.Head.Key, env) {
						set = append(set, bound{schema: map[string]any{"type": "array", "items": b.schema, setMark: true}, text: strings.TrimSuffix(b.text, "[_]")})
					}
					seen[p] = append(seen[p], set)
				}
				for _, e := range ic.ruleExprs(rr) {
					if !e.IsCall() {
						continue
					}
					op := e.Operator().String()
					n, ok := funcs[op]
					if !ok {
						continue
					}
					args := e.Operands()
					for i := 0; i < n && i < len(args); i++ {
						seen[argKey(op, i)] = append(seen[argKey(op, i)], ic.resolve(args[i], env))
					}
				}
			}
		}
		next := map[string][]bound{}
		for k, sites := range seen {
			if alts := union(sites); alts != nil {
				next[k] = alts
			}
		}
		if sameGlobals(next, ic.globals) {
			return
		}
		ic.globals = next
	}
}

// setMark marks the schema standing for a set rule's members: a set[x]
// lookup binds x to a member.
const setMark = "x-lockdown-set"

// maxAlternatives bounds the parts of input one name is followed into.
const maxAlternatives = 8

// union returns the parts of input the sites are bound to, or nil when a
// site is not (known to be) bound to input: then the value may be anything.
func union(sites [][]bound) []bound {
	var out []bound
	for _, alts := range sites {
		if len(alts) == 0 {
			return nil
		}
		out = addAlternatives(out, alts...)
	}
	if len(out) > maxAlternatives {
		return nil
	}
	return out
}

// addAlternatives adds the parts of input that differ from those in to:
// parts with the same schema (grants in input.iam.users[_].admin and in
// input.iam.groups[_].admin) are one alternative, named by the first.
func addAlternatives(to []bound, alts ...bound) []bound {
	for _, b := range alts {
		if !slices.ContainsFunc(to, func(x bound) bool {
			return x.text == b.text || reflect.DeepEqual(nonNull(x.schema), nonNull(b.schema))
		}) {
			to = append(to, b)
		}
	}
	return to
}

func sameGlobals(a, b map[string][]bound) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i].text != y[i].text {
				return false
			}
		}
	}
	return true
}

// env binds a rule's variables (rr is the rule or one of its else
// branches, first the rule) to the parts of input they are unified with.
func (ic *inputChecker) env(rr, first *ast.Rule) map[ast.Var][]bound {
	env := map[ast.Var][]bound{}
	if p := ic.rulePath(first); p != "" {
		args := rr.Head.Args
		if len(args) == 0 {
			args = first.Head.Args
		}
		for i, a := range args {
			if v, ok := a.Value.(ast.Var); ok {
				if b, ok := ic.globals[argKey(p, i)]; ok {
					env[v] = b
				}
			}
		}
	}
	exprs := ic.ruleExprs(rr)
	// Until nothing changes (bodies are ordered, so one pass usually does).
	for changed := true; changed; {
		changed = false
		for _, e := range exprs {
			for v, alts := range ic.bindings(e, env) {
				if _, ok := env[v]; !ok {
					env[v] = alts
					changed = true
				}
			}
		}
	}
	return env
}

// checkRule checks every reference of a rule and its else branches.
func (ic *inputChecker) checkRule(r *ast.Rule) ast.Errors {
	var errs ast.Errors
	for rr := r; rr != nil; rr = rr.Else {
		env := ic.env(rr, r)
		ast.WalkRefs(rr, func(ref ast.Ref) bool {
			if _, err := ic.walkRef(ref, env); err != nil {
				errs = append(errs, err)
			}
			return false
		})
		for _, e := range ic.ruleExprs(rr) {
			if err := ic.checkObjectGet(e, env); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// checkObjectGet checks the path of object.get(x, path, default) when x is
// a part of input: a literal key or array of keys is a reference too.
func (ic *inputChecker) checkObjectGet(e *ast.Expr, env map[ast.Var][]bound) *ast.Error {
	if !e.IsCall() || e.Operator().String() != "object.get" {
		return nil
	}
	args := e.Operands()
	if len(args) < 2 {
		return nil
	}
	alts := ic.resolve(args[0], env)
	if len(alts) == 0 {
		return nil
	}
	ref := ast.Ref{args[0]}
	switch p := args[1].Value.(type) {
	case ast.String:
		ref = append(ref, args[1])
	case *ast.Array:
		for i := 0; i < p.Len(); i++ {
			ref = append(ref, p.Elem(i))
		}
	default:
		return nil
	}
	var first *ast.Error
	for _, b := range alts {
		_, err := walkFrom(ref, 1, b)
		if err == nil {
			return nil
		}
		if first == nil {
			first = err
		}
	}
	return first
}

// bindings returns the variables an expression binds to a part of input.
func (ic *inputChecker) bindings(e *ast.Expr, env map[ast.Var][]bound) map[ast.Var][]bound {
	out := map[ast.Var][]bound{}
	member := func(v, coll *ast.Term) {
		x, isVar := v.Value.(ast.Var)
		if !isVar {
			return
		}
		var els []bound
		for _, b := range ic.resolve(coll, env) {
			el := element(b.schema)
			if el == nil {
				return // a member of something else: anything
			}
			els = append(els, bound{schema: el, text: b.text + "[_]"})
		}
		if len(els) > 0 {
			out[x] = els
		}
	}
	if ev, ok := e.Terms.(*ast.Every); ok {
		member(ev.Value, ev.Domain)
		return out
	}
	// set[x] on a set of parts of input binds x to the member.
	if t, ok := e.Terms.(*ast.Term); ok {
		if ref, ok := t.Value.(ast.Ref); ok && len(ref) > 1 {
			if x, isVar := ref[len(ref)-1].Value.(ast.Var); isVar {
				var els []bound
				for _, b := range ic.resolve(ast.NewTerm(ref[:len(ref)-1]), env) {
					if b.schema[setMark] == true {
						els = append(els, bound{schema: b.schema["items"].(map[string]any), text: b.text + "[_]"})
					}
				}
				if len(els) > 0 {
					out[x] = els
				}
			}
		}
		return out
	}
	if !e.IsCall() {
		return out
	}
	op := e.Operator().String()
	args := e.Operands()
	switch {
	case (op == "eq" || op == "assign") && len(args) == 2:
		for i := range 2 {
			if v, ok := args[i].Value.(ast.Var); ok {
				if alts := ic.resolve(args[1-i], env); len(alts) > 0 {
					out[v] = alts
				}
			}
		}
	case op == "internal.member_2" && len(args) == 2:
		member(args[0], args[1])
	case op == "internal.member_3" && len(args) == 3:
		member(args[1], args[2])
	}
	return out
}

// resolve returns the parts of input a term may denote; nil when the term
// is not (known to be) a part of input with a schema.
func (ic *inputChecker) resolve(t *ast.Term, env map[ast.Var][]bound) []bound {
	switch x := t.Value.(type) {
	case ast.Var:
		if x.Equal(ast.InputRootDocument.Value) {
			return []bound{{schema: ic.schema, text: "input"}}
		}
		return env[x]
	case ast.Ref:
		alts, err := ic.walkRef(x, env)
		if err != nil {
			return nil
		}
		return alts
	}
	return nil
}

// walkRef follows a reference through the schema. It returns the part of
// input referred to (a nil schema when unknown: not input, or into a value
// of any type), and an error when the reference names a field the schema
// does not have or indexes into a scalar.
//
// A name bound to several parts of input (a function called with members of
// input.users and of input.roles) is followed into each: a reference is an
// error only when every one of them rejects it, so the result is the parts
// that accept it (nil when one of them could be anything).
func (ic *inputChecker) walkRef(ref ast.Ref, env map[ast.Var][]bound) ([]bound, *ast.Error) {
	head, ok := ref[0].Value.(ast.Var)
	if !ok {
		return nil, nil
	}
	var alts []bound
	start := 1
	switch {
	case head.Equal(ast.InputRootDocument.Value):
		alts = []bound{{schema: ic.schema, text: "input"}}
	case head.Equal(ast.DefaultRootDocument.Value):
		// The longest prefix that is a rule bound to a part of input.
		for i := len(ref); i > 1 && alts == nil; i-- {
			if g, ok := ic.globals[ref[:i].String()]; ok {
				alts, start = g, i
			}
		}
	default:
		alts = env[head]
	}
	if len(alts) == 0 {
		return nil, nil
	}
	var out []bound
	var first *ast.Error
	for _, b := range alts {
		r, err := walkFrom(ref, start, b)
		switch {
		case err != nil:
			if first == nil {
				first = err
			}
		case r.schema == nil:
			return nil, nil
		default:
			out = addAlternatives(out, r)
		}
	}
	if len(out) == 0 {
		return nil, first
	}
	return out, nil
}

// walkFrom follows ref[start:] from one part of input.
func walkFrom(ref ast.Ref, start int, b bound) (bound, *ast.Error) {
	s, text := b.schema, b.text
	for i := start; i < len(ref); i++ {
		if s = nonNull(s); len(s) == 0 || s["anyOf"] != nil {
			return bound{}, nil // any value
		}
		key := ref[i]
		next := text + keyText(key)
		if props, ok := s["properties"].(map[string]any); ok {
			name, isString := key.Value.(ast.String)
			if !isString {
				return bound{}, nil // some field
			}
			if p, ok := props[string(name)].(map[string]any); ok {
				s, text = p, next
				continue
			}
			if ap, ok := s["additionalProperties"].(map[string]any); ok {
				s, text = ap, next
				continue
			}
			if s["additionalProperties"] == false {
				return bound{}, fieldError(ref[:i+1], text, key, props)
			}
			return bound{}, nil
		}
		if el := element(s); el != nil {
			s, text = el, next
			continue
		}
		if ty := schemaTypes(s); len(ty) > 0 && !ty["object"] && !ty["array"] {
			return bound{}, refError(ref[:i+1], fmt.Sprintf("%s is %s: it has no %s", text, typeWords(ty), key))
		}
		return bound{}, nil
	}
	return bound{schema: s, text: text}, nil
}

func keyText(t *ast.Term) string {
	switch k := t.Value.(type) {
	case ast.String:
		if ast.IsVarCompatibleString(string(k)) {
			return "." + string(k)
		}
		return "[" + k.String() + "]"
	case ast.Number, ast.Boolean, ast.Null:
		return "[" + t.String() + "]"
	}
	return "[_]"
}

func schemaTypes(s map[string]any) map[string]bool {
	out := map[string]bool{}
	switch t := s["type"].(type) {
	case string:
		out[t] = true
	case []any:
		for _, x := range t {
			if str, ok := x.(string); ok {
				out[str] = true
			}
		}
	}
	return out
}

func typeWords(ty map[string]bool) string {
	var ws []string
	for t := range ty {
		ws = append(ws, t)
	}
	sort.Strings(ws)
	return "a " + strings.Join(ws, " or ")
}

// nonNull is the schema of a nullable value when it is not null: the one
// alternative of an anyOf that is not null.
func nonNull(s map[string]any) map[string]any {
	alts, ok := s["anyOf"].([]any)
	if !ok {
		return s
	}
	var keep map[string]any
	for _, a := range alts {
		m, ok := a.(map[string]any)
		if !ok {
			return s
		}
		if ty, _ := m["type"].(string); ty == "null" && len(m) == 1 {
			continue
		}
		if keep != nil {
			return s // a real choice
		}
		keep = m
	}
	if keep == nil {
		return s
	}
	return keep
}

// element is the schema of the members of a collection.
func element(s map[string]any) map[string]any {
	s = nonNull(s)
	if ap, ok := s["additionalProperties"].(map[string]any); ok {
		return ap
	}
	if items, ok := s["items"].(map[string]any); ok {
		return items
	}
	return nil
}

func fieldError(ref ast.Ref, text string, key *ast.Term, props map[string]any) *ast.Error {
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	return refError(ref, fmt.Sprintf("%s has no field %s (fields in the input schema, %s: %s)",
		text, key, InputSchemaFile, strings.Join(names, ", ")))
}

// refError reports a reference, as written in the source (its head as
// written, the rest with variables shown as _), that the schema rejects.
func refError(ref ast.Ref, detail string) *ast.Error {
	src := ref[0].String()
	if l := ref[0].Location; l != nil && len(l.Text) > 0 {
		src = string(l.Text)
	}
	for _, k := range ref[1:] {
		src += keyText(k)
	}
	return ast.NewError(ast.TypeErr, ref[0].Location, "undefined ref: %s: %s", src, detail)
}
