package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"
	"github.com/open-policy-agent/opa/v1/types"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/lockdown-dev/lockdown/internal/facts"
)

// InputSchemaFile is where the input schema of the built-in checks is
// published, relative to the repository root.
const InputSchemaFile = "checks/input.schema.json"

// InputSchema returns the JSON Schema of the Rego input document the checks
// among mods read: the facts (facts.InputSchema) and `params`, one property
// per parameter a check declares in METADATA custom.params, typed by its
// default. Test modules (*_test.rego) are ignored.
func InputSchema(mods map[string]*ast.Module) (map[string]any, error) {
	defs, err := findChecks(nonTestModules(mods))
	if err != nil {
		return nil, err
	}
	return inputSchema(defs)
}

func inputSchema(defs []*checkDef) (map[string]any, error) {
	if _, err := mergeParams(defs, nil); err != nil {
		return nil, err
	}
	s := facts.InputSchema()
	if err := knownKeys(s, "sources", KnownSources); err != nil {
		return nil, err
	}
	vals, users := paramDefaults(defs)
	props := map[string]any{}
	names := make([]string, 0, len(vals))
	for name, v := range vals {
		names = append(names, name)
		k, _ := paramKind(v)
		p := map[string]any{"default": v, "description": "Parameter of " + strings.Join(sortedCopy(users[name]), ", ") + "; set with --param " + name + "=VALUE."}
		switch {
		case k == kindBool:
			p["type"] = "boolean"
		case k == kindString:
			p["type"] = "string"
		case isIntegral(v):
			p["type"] = "integer"
		default:
			p["type"] = "number"
		}
		props[name] = p
	}
	sort.Strings(names)
	params := map[string]any{"type": "object", "properties": props, "additionalProperties": false,
		"description": "The checks' parameters (METADATA custom.params), with the user's values applied."}
	if len(names) > 0 {
		params["required"] = names
	}
	s["properties"].(map[string]any)["params"] = params
	s["required"] = append(s["required"].([]string), "params")
	return s, nil
}

// knownKeys narrows a map of the schema to the keys it can have: the facts
// type is a Go map, but the snapshot schema names every source, so a check
// reading input.sources.<misspelt> is an error too.
func knownKeys(s map[string]any, prop string, keys []string) error {
	props, _ := s["properties"].(map[string]any)
	m, ok := props[prop].(map[string]any)
	if !ok {
		return fmt.Errorf("input schema: no property %s", prop)
	}
	obj := nonNull(m)
	val, ok := obj["additionalProperties"].(map[string]any)
	if !ok {
		return fmt.Errorf("input schema: %s is not a map", prop)
	}
	known := map[string]any{}
	for _, k := range keys {
		known[k] = val
	}
	narrowed := map[string]any{"type": "object", "properties": known, "additionalProperties": false}
	if alts, ok := m["anyOf"].([]any); ok {
		out := make([]any, len(alts))
		for i, a := range alts {
			if am, ok := a.(map[string]any); ok && reflect.DeepEqual(am, obj) {
				out[i] = narrowed
			} else {
				out[i] = a
			}
		}
		props[prop] = map[string]any{"anyOf": out}
	} else {
		props[prop] = narrowed
	}
	return nil
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}

// MarshalSchema writes a schema as it is published: indented, keys sorted,
// ending in a newline.
func MarshalSchema(s map[string]any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// schemaSet is the schema as OPA's type checker takes it.
func schemaSet(s map[string]any) (*ast.SchemaSet, error) {
	// Round trip: OPA's schema loader wants plain JSON values.
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	ss := ast.NewSchemaSet()
	ss.Put(ast.SchemaRootRef, doc)
	return ss, nil
}

func isTestFile(name string) bool { return strings.HasSuffix(name, "_test.rego") }

func nonTestModules(mods map[string]*ast.Module) map[string]*ast.Module {
	out := make(map[string]*ast.Module, len(mods))
	for n, m := range mods {
		if !isTestFile(n) {
			out[n] = m
		}
	}
	return out
}

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
// if some u in input.users ...`); and the arguments of functions, when every call
// from a non-test module passes the same part of input (`verdict(u)` called
// with members of input.users). Test modules are not checked: their inputs
// are fixtures, validated when the tests run (InstrumentFixtures).
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
// bound to a part of input: every definition (or call) must agree.
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
						set = append(set, bound{schema: map[string]any{"type": "array", "items": b.schema}, text: strings.TrimSuffix(b.text, "[_]")})
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
	}
	return errs
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
	case ast.Var:
		return "[_]"
	}
	return "[" + t.String() + "]"
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

// Fixture validation.

// FixtureBuiltinName is the built-in every `with input as` fixture of a
// test module is passed through (see InstrumentFixtures).
const FixtureBuiltinName = "lockdown.test.fixture"

var fixtureDecl = &ast.Builtin{
	Name: FixtureBuiltinName,
	Decl: types.NewFunction(types.Args(types.Named("where", types.S), types.Named("path", types.S), types.Named("fixture", types.A)), types.A),
}

// InstrumentFixtures rewrites, in place, every `with input as X` and `with
// input.<path> as X` of the test modules (*_test.rego) among mods into
// `with input as lockdown.test.fixture("<file>:<line>", "<path>", X)`. The
// built-in returned checks X, when the test runs, against the partial input
// schema (facts.PartialSchema: every field optional, but no unknown field,
// no wrong type) at path, and halts the test with the violations, naming
// the fixture's place. Evaluating the fixture covers every way a test builds
// it: literals, helper rules and functions, object.union.
func InstrumentFixtures(mods map[string]*ast.Module, schema map[string]any) (*Fixtures, error) {
	partial := facts.PartialSchema(schema)
	b, err := json.Marshal(partial)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	jc := jsonschema.NewCompiler()
	if err := jc.AddResource("input.schema.json", doc); err != nil {
		return nil, err
	}
	root, err := jc.Compile("input.schema.json")
	if err != nil {
		return nil, err
	}
	v := &fixtureValidator{compiler: jc, root: root, byPath: map[string]*jsonschema.Schema{"": root}, partial: partial,
		evaluated: map[string]int{}}
	for name, m := range mods {
		if !isTestFile(name) {
			continue
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			for _, w := range e.With {
				ref, ok := w.Target.Value.(ast.Ref)
				if !ok || !ref[0].Equal(ast.InputRootDocument) {
					continue
				}
				var path []string
				for _, t := range ref[1:] {
					s, ok := t.Value.(ast.String)
					if !ok {
						path = nil
						break
					}
					path = append(path, string(s))
				}
				if len(path) != len(ref)-1 {
					continue // a computed path: nothing to say statically
				}
				where := name
				if w.Location != nil {
					where = fmt.Sprintf("%s:%d", w.Location.File, w.Location.Row)
				}
				call := ast.CallTerm(ast.RefTerm(ast.VarTerm("lockdown"), ast.StringTerm("test"), ast.StringTerm("fixture")),
					ast.StringTerm(where), ast.StringTerm(strings.Join(path, "/")), w.Value)
				call.Location = w.Value.Location
				w.Value = call
				v.sites = append(v.sites, where)
			}
			return false
		})
	}
	fn := rego.Function3(&rego.Function{Name: FixtureBuiltinName, Decl: fixtureDecl.Decl},
		func(_ rego.BuiltinContext, where, path, fixture *ast.Term) (*ast.Term, error) {
			w, _ := where.Value.(ast.String)
			p, _ := path.Value.(ast.String)
			v.mu.Lock()
			v.evaluated[string(w)]++
			v.mu.Unlock()
			if msg := v.validate(string(p), fixture.Value); msg != "" {
				return nil, rego.NewHaltError(fmt.Errorf("the `with input` fixture at %s does not match the input schema (%s): %s", w, InputSchemaFile, msg))
			}
			return fixture, nil
		})
	sort.Strings(v.sites)
	return &Fixtures{Builtin: &tester.Builtin{Decl: fixtureDecl, Func: fn}, v: v}, nil
}

// Fixtures is the result of InstrumentFixtures.
type Fixtures struct {
	// Builtin validates the fixtures; register it with the test runner.
	Builtin *tester.Builtin
	v       *fixtureValidator
}

// Sites lists the instrumented fixtures, as "<file>:<line>", sorted.
func (f *Fixtures) Sites() []string { return append([]string(nil), f.v.sites...) }

// Unevaluated lists the instrumented fixtures that no test has evaluated
// (so far): each is a fixture nothing validated.
func (f *Fixtures) Unevaluated() []string {
	f.v.mu.Lock()
	defer f.v.mu.Unlock()
	var out []string
	for _, s := range f.v.sites {
		if f.v.evaluated[s] == 0 {
			out = append(out, s)
		}
	}
	return out
}

// englishPrinter renders schema violations.
var englishPrinter = message.NewPrinter(language.English)

type fixtureValidator struct {
	mu        sync.Mutex
	sites     []string
	evaluated map[string]int // by site
	compiler  *jsonschema.Compiler
	root      *jsonschema.Schema
	byPath    map[string]*jsonschema.Schema
	partial   map[string]any
}

func (v *fixtureValidator) schemaAt(path string) (*jsonschema.Schema, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok := v.byPath[path]; ok {
		return s, nil
	}
	// Walk the schema to the path's subschema and point at it.
	ptr := ""
	s := v.partial
	for _, key := range strings.Split(path, "/") {
		if props, ok := s["properties"].(map[string]any); ok {
			if p, ok := props[key].(map[string]any); ok {
				s, ptr = p, ptr+"/properties/"+jsonPointerEscape(key)
				continue
			}
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			s, ptr = ap, ptr+"/additionalProperties"
			continue
		}
		if items, ok := s["items"].(map[string]any); ok {
			s, ptr = items, ptr+"/items"
			continue
		}
		return nil, fmt.Errorf("input.%s is not in the input schema", strings.ReplaceAll(path, "/", "."))
	}
	sch, err := v.compiler.Compile("input.schema.json#" + ptr)
	if err != nil {
		return nil, err
	}
	v.byPath[path] = sch
	return sch, nil
}

func jsonPointerEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// validate returns "" when the fixture at path meets the partial schema, or
// the violations.
func (v *fixtureValidator) validate(path string, fixture ast.Value) string {
	sch, err := v.schemaAt(path)
	if err != nil {
		return err.Error()
	}
	doc, err := fixtureJSON(fixture)
	if err != nil {
		return err.Error()
	}
	return violations("input"+strings.ReplaceAll("/"+path, "/", "."), sch.Validate(doc))
}

// fixtureJSON is a Rego value as the schema library takes it (numbers as
// json.Number).
func fixtureJSON(x ast.Value) (any, error) {
	j, err := ast.JSON(x)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(j)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	err = dec.Decode(&doc)
	return doc, err
}

// violations lists a validation error's leaves, each at its place under
// prefix (a reference such as input.users), or "" when err is nil.
func violations(prefix string, err error) string {
	if err == nil {
		return ""
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	prefix = strings.TrimSuffix(prefix, ".")
	var msgs []string
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if strings.HasSuffix(e.ErrorKind.LocalizedString(englishPrinter), "want null") {
				return // the other branch of a nullable value
			}
			place := prefix
			for _, p := range e.InstanceLocation {
				place += "." + p
			}
			if place == "" {
				place = "the value"
			}
			msgs = append(msgs, place+": "+e.ErrorKind.LocalizedString(englishPrinter))
			return
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	sort.Strings(msgs)
	return strings.Join(msgs, "; ")
}

// ArgumentBuiltinName is the built-in a test's argument to a function is
// passed through when the function's argument is a part of input (see
// InstrumentArguments).
const ArgumentBuiltinName = "lockdown.test.argument"

var argumentDecl = &ast.Builtin{
	Name: ArgumentBuiltinName,
	Decl: types.NewFunction(types.Args(types.Named("where", types.S), types.Named("argument", types.S), types.Named("value", types.A)), types.A),
}

// InstrumentArguments does for the arguments tests pass to functions what
// InstrumentFixtures does for `with input`: where every call from the
// non-test modules passes a function a part of input (a library helper that
// takes a user, a grant), each call of it in a test module is rewritten so
// that its argument is checked, when the test runs, against the partial
// schema of those parts (any one of them may accept it). compiled is the
// compiler of the non-test modules; the sites join f's.
func InstrumentArguments(mods map[string]*ast.Module, compiled *ast.Compiler, schema map[string]any, f *Fixtures) (*tester.Builtin, error) {
	names := make([]string, 0, len(compiled.Modules))
	for name := range compiled.Modules {
		if !isTestFile(name) {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	var rules []*ast.Rule
	for _, name := range names {
		rules = append(rules, compiled.Modules[name].Rules...)
	}
	ic := &inputChecker{schema: schema, globals: map[string][]bound{},
		exprs: map[*ast.Rule][]*ast.Expr{}, paths: map[*ast.Rule]string{}}
	ic.bindGlobals(rules)
	v := f.v
	argSchemas := map[string][]*jsonschema.Schema{} // argKey -> one per part of input
	argTexts := map[string][]string{}
	resources := 0
	for key, alts := range ic.globals {
		if !strings.Contains(key, "#") {
			continue
		}
		for _, b := range alts {
			resources++
			url := fmt.Sprintf("argument-%d.schema.json", resources)
			raw, err := json.Marshal(facts.PartialSchema(b.schema))
			if err != nil {
				return nil, err
			}
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
			if err != nil {
				return nil, err
			}
			if err := v.compiler.AddResource(url, doc); err != nil {
				return nil, err
			}
			sch, err := v.compiler.Compile(url)
			if err != nil {
				return nil, err
			}
			argSchemas[key] = append(argSchemas[key], sch)
			argTexts[key] = append(argTexts[key], b.text)
		}
	}
	for name, m := range mods {
		if !isTestFile(name) {
			continue
		}
		aliases := map[ast.Var]ast.Ref{}
		for _, imp := range m.Imports {
			ref, ok := imp.Path.Value.(ast.Ref)
			if !ok || !ref[0].Equal(ast.DefaultRootDocument) {
				continue
			}
			alias := imp.Alias
			if alias == "" {
				s, ok := ref[len(ref)-1].Value.(ast.String)
				if !ok {
					continue
				}
				alias = ast.Var(s)
			}
			aliases[alias] = ref
		}
		fullName := func(op *ast.Term) string {
			ref, ok := op.Value.(ast.Ref)
			if !ok {
				return ""
			}
			head, ok := ref[0].Value.(ast.Var)
			if !ok {
				return ""
			}
			switch {
			case head.Equal(ast.DefaultRootDocument.Value):
				return ref.String()
			case aliases[head] != nil:
				return aliases[head].Concat(ref[1:]).String()
			case len(ref) == 1:
				return m.Package.Path.Append(ast.StringTerm(string(head))).String()
			}
			return ""
		}
		wrap := func(terms []*ast.Term) {
			fn := fullName(terms[0])
			if fn == "" {
				return
			}
			for i := 1; i < len(terms); i++ {
				key := argKey(fn, i-1)
				if len(argSchemas[key]) == 0 {
					continue
				}
				arg := terms[i]
				where := name
				if arg.Location != nil {
					where = fmt.Sprintf("%s:%d", arg.Location.File, arg.Location.Row)
				}
				call := ast.CallTerm(ast.RefTerm(ast.VarTerm("lockdown"), ast.StringTerm("test"), ast.StringTerm("argument")),
					ast.StringTerm(where), ast.StringTerm(key), arg)
				call.Location = arg.Location
				terms[i] = call
				v.sites = append(v.sites, where)
			}
		}
		ast.WalkExprs(m, func(e *ast.Expr) bool {
			if terms, ok := e.Terms.([]*ast.Term); ok && len(terms) > 0 {
				wrap(terms)
			}
			return false
		})
		ast.WalkTerms(m, func(t *ast.Term) bool {
			if c, ok := t.Value.(ast.Call); ok && len(c) > 0 {
				wrap(c)
			}
			return false
		})
	}
	sort.Strings(v.sites)
	v.sites = slices.Compact(v.sites)
	fn := rego.Function3(&rego.Function{Name: ArgumentBuiltinName, Decl: argumentDecl.Decl},
		func(_ rego.BuiltinContext, where, key, value *ast.Term) (*ast.Term, error) {
			w, _ := where.Value.(ast.String)
			k, _ := key.Value.(ast.String)
			v.mu.Lock()
			v.evaluated[string(w)]++
			v.mu.Unlock()
			doc, err := fixtureJSON(value.Value)
			if err != nil {
				return nil, rego.NewHaltError(err)
			}
			var msgs []string
			for _, sch := range argSchemas[string(k)] {
				msg := violations("", sch.Validate(doc))
				if msg == "" {
					return value, nil
				}
				msgs = append(msgs, msg)
			}
			fnName, i, _ := strings.Cut(string(k), "#")
			n, _ := strconv.Atoi(i)
			return nil, rego.NewHaltError(fmt.Errorf("the argument %d of %s at %s does not match the input schema (%s) of what the checks pass it (%s): %s",
				n+1, strings.TrimPrefix(fnName, "data."), w, InputSchemaFile, strings.Join(argTexts[string(k)], " or "), strings.Join(msgs, "; or ")))
		})
	return &tester.Builtin{Decl: argumentDecl, Func: fn}, nil
}
