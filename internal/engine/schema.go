package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
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
// is keyed by ARN) would compile and never match anything. A reference is
// followed through the variables it is bound to (`u := input.users[_]`,
// `some u in input.users`, `every u in ...`), in rule bodies and
// comprehensions; a value passed to a function is not followed into the
// function's body (OPA's type checker covers what it can there).
func checkInputFieldsStage(schema map[string]any) ast.CompilerStageDefinition {
	return ast.CompilerStageDefinition{
		Name:       "CheckInputFields",
		MetricName: "compile_stage_check_input_fields",
		Stage: func(c *ast.Compiler) *ast.Error {
			var errs ast.Errors
			names := make([]string, 0, len(c.Modules))
			for name := range c.Modules {
				names = append(names, name)
			}
			sort.Strings(names)
			for _, name := range names {
				if isTestFile(name) {
					continue
				}
				for _, r := range c.Modules[name].Rules {
					errs = append(errs, checkRuleInput(r, schema)...)
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

// checkRuleInput checks one rule (and its else chain).
func checkRuleInput(r *ast.Rule, schema map[string]any) ast.Errors {
	var errs ast.Errors
	for ; r != nil; r = r.Else {
		env := map[ast.Var]bound{}
		var exprs []*ast.Expr
		ast.WalkExprs(r, func(e *ast.Expr) bool {
			exprs = append(exprs, e)
			return false
		})
		// Bind variables to the schema of what they are unified with, until
		// nothing changes (bodies are ordered, so one pass usually does).
		for changed := true; changed; {
			changed = false
			for _, e := range exprs {
				for v, b := range bindings(e, env, schema) {
					if _, ok := env[v]; !ok {
						env[v] = b
						changed = true
					}
				}
			}
		}
		seen := map[string]bool{}
		ast.WalkRefs(r, func(ref ast.Ref) bool {
			if err := checkRef(ref, env, schema); err != nil {
				if k := err.Error(); !seen[k] {
					seen[k] = true
					errs = append(errs, err)
				}
			}
			return false
		})
	}
	return errs
}

// bound is what a variable is bound to: the schema of a part of input, and
// that part as a reference for messages.
type bound struct {
	schema map[string]any
	text   string
}

// bindings returns the variables an expression binds to a part of input.
func bindings(e *ast.Expr, env map[ast.Var]bound, schema map[string]any) map[ast.Var]bound {
	out := map[ast.Var]bound{}
	member := func(v, coll *ast.Term) {
		if b, ok := resolve(coll, env, schema); ok {
			if x, isVar := v.Value.(ast.Var); isVar {
				if el := element(b.schema); el != nil {
					out[x] = bound{schema: el, text: b.text + "[_]"}
				}
			}
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
				if b, ok := resolve(args[1-i], env, schema); ok {
					out[v] = b
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

// resolve returns the schema of the input value a term denotes; false when
// the term is not (known to be) a part of input with a schema.
func resolve(t *ast.Term, env map[ast.Var]bound, schema map[string]any) (bound, bool) {
	switch x := t.Value.(type) {
	case ast.Var:
		if x.Equal(ast.InputRootDocument.Value) {
			return bound{schema: schema, text: "input"}, true
		}
		b, ok := env[x]
		return b, ok
	case ast.Ref:
		b, err := walkRef(x, env, schema)
		if err != nil || b.schema == nil {
			return bound{}, false
		}
		return b, true
	}
	return bound{}, false
}

func checkRef(ref ast.Ref, env map[ast.Var]bound, schema map[string]any) *ast.Error {
	_, err := walkRef(ref, env, schema)
	return err
}

// walkRef follows a reference through the schema. It returns the schema of
// the value referred to (nil when unknown: not input, or into a value of
// any type), and an error when the reference names a field the schema does
// not have or indexes into a scalar.
func walkRef(ref ast.Ref, env map[ast.Var]bound, schema map[string]any) (bound, *ast.Error) {
	head, ok := ref[0].Value.(ast.Var)
	if !ok {
		return bound{}, nil
	}
	var b bound
	switch {
	case head.Equal(ast.InputRootDocument.Value):
		b = bound{schema: schema, text: "input"}
	default:
		if b, ok = env[head]; !ok {
			return bound{}, nil
		}
	}
	s, text := b.schema, b.text
	for i := 1; i < len(ref); i++ {
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
				return bound{}, fieldError(ref, text, key, props)
			}
			return bound{}, nil
		}
		if el := element(s); el != nil {
			s, text = el, next
			continue
		}
		if ty := schemaTypes(s); len(ty) > 0 && !ty["object"] && !ty["array"] {
			return bound{}, refError(ref, next, fmt.Sprintf("%s is %s: it has no %s", text, typeWords(ty), key))
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
	return refError(ref, text+keyText(key), fmt.Sprintf("%s has no field %s (fields in the input schema, %s: %s)",
		text, key, InputSchemaFile, strings.Join(names, ", ")))
}

func refError(ref ast.Ref, text, detail string) *ast.Error {
	return ast.NewError(ast.TypeErr, ref[0].Location, "undefined ref: %s: %s", text, detail)
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
func InstrumentFixtures(mods map[string]*ast.Module, schema map[string]any) (*tester.Builtin, error) {
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
	v := &fixtureValidator{compiler: jc, root: root, byPath: map[string]*jsonschema.Schema{"": root}, partial: partial}
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
			}
			return false
		})
	}
	fn := rego.Function3(&rego.Function{Name: FixtureBuiltinName, Decl: fixtureDecl.Decl},
		func(_ rego.BuiltinContext, where, path, fixture *ast.Term) (*ast.Term, error) {
			w, _ := where.Value.(ast.String)
			p, _ := path.Value.(ast.String)
			if msg := v.validate(string(p), fixture.Value); msg != "" {
				return nil, rego.NewHaltError(fmt.Errorf("the `with input` fixture at %s does not match the input schema (%s): %s", w, InputSchemaFile, msg))
			}
			return fixture, nil
		})
	return &tester.Builtin{Decl: fixtureDecl, Func: fn}, nil
}

// englishPrinter renders schema violations.
var englishPrinter = message.NewPrinter(language.English)

type fixtureValidator struct {
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	root     *jsonschema.Schema
	byPath   map[string]*jsonschema.Schema
	partial  map[string]any
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
	x, err := ast.JSON(fixture)
	if err != nil {
		return err.Error()
	}
	// Numbers as json.Number, as the schema library expects them.
	b, err := json.Marshal(x)
	if err != nil {
		return err.Error()
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err.Error()
	}
	err = sch.Validate(doc)
	if err == nil {
		return ""
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	var msgs []string
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if strings.HasSuffix(e.ErrorKind.LocalizedString(englishPrinter), "want null") {
				return // the other branch of a nullable value
			}
			loc := "/" + strings.Join(e.InstanceLocation, "/")
			if path != "" {
				loc = "/" + path + loc
			}
			msgs = append(msgs, "input"+strings.ReplaceAll(strings.TrimSuffix(loc, "/"), "/", ".")+": "+e.ErrorKind.LocalizedString(englishPrinter))
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
