// Package engine evaluates the Rego checks against a snapshot's facts. It is
// the only package that imports OPA. Modules are parsed and compiled once in
// New; each Evaluate converts the facts to a Rego value once and runs one
// prepared query that returns every selected check's results.
package engine

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/lockdown-dev/lockdown/checks"
	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	regolib "github.com/lockdown-dev/lockdown/rego"
)

// Options configure an Engine.
type Options struct {
	// ExtraRegoDirs are user rule directories: every non-test .rego file
	// under them is loaded next to the built-in checks.
	ExtraRegoDirs []string
	// Params override check thresholds declared in METADATA custom.params,
	// e.g. "root_recent_days": 90.
	Params map[string]any
}

// Engine holds the compiled checks. It is safe for concurrent use.
type Engine struct {
	compiler *ast.Compiler
	defs     []*checkDef // sorted by ID
	byID     map[string]*checkDef
	byFile   map[string]*checkDef
	params   ast.Value

	mu      sync.Mutex
	queries map[string]*preparedQuery // by joined check IDs
}

type preparedQuery struct {
	defs []*checkDef
	pq   rego.PreparedEvalQuery
}

// Builtins that would make results depend on the clock, chance or the
// network; checks get time from the snapshot and never call out.
var forbiddenBuiltins = map[string]bool{
	"http.send": true, "net.lookup_ip_addr": true, "opa.runtime": true, "rand.intn": true,
	"time.now_ns": true, "uuid.rfc4122": true, "providers.aws.sign_req": true,
}

func capabilities() *ast.Capabilities {
	c := ast.CapabilitiesForThisVersion()
	kept := c.Builtins[:0]
	for _, b := range c.Builtins {
		if !forbiddenBuiltins[b.Name] {
			kept = append(kept, b)
		}
	}
	c.Builtins = append(kept, iamDecide)
	return c
}

// New loads the embedded checks and libraries plus any user rule
// directories, reads each check's METADATA and compiles everything once.
func New(opts Options) (*Engine, error) {
	files, err := readFS(checks.FS, "checks", false)
	if err != nil {
		return nil, fmt.Errorf("reading embedded checks: %w", err)
	}
	lib, err := readFS(regolib.FS, "rego", false)
	if err != nil {
		return nil, fmt.Errorf("reading embedded rego libraries: %w", err)
	}
	files = append(files, lib...)
	for _, dir := range opts.ExtraRegoDirs {
		extra, err := readDir(dir)
		if err != nil {
			return nil, err
		}
		files = append(files, extra...)
	}
	mods, err := parseFiles(files)
	if err != nil {
		return nil, err
	}
	defs, err := findChecks(mods)
	if err != nil {
		return nil, err
	}
	compiler := ast.NewCompiler().WithCapabilities(capabilities())
	if compiler.Compile(mods); compiler.Failed() {
		return nil, fmt.Errorf("compiling checks: %w", compiler.Errors)
	}
	params, err := mergeParams(defs, opts.Params)
	if err != nil {
		return nil, err
	}
	e := &Engine{
		compiler: compiler,
		defs:     defs,
		byID:     map[string]*checkDef{},
		byFile:   map[string]*checkDef{},
		params:   params,
		queries:  map[string]*preparedQuery{},
	}
	for _, d := range defs {
		e.byID[d.meta.ID] = d
		for _, f := range d.files {
			e.byFile[f] = d
		}
	}
	// Prepare the all-checks query now so that a broken rule set fails
	// here rather than on first use.
	if _, err := e.prepared(context.Background(), defs); err != nil {
		return nil, err
	}
	return e, nil
}

// Checks returns every loaded check's metadata, sorted by ID.
func (e *Engine) Checks() []findings.Check {
	out := make([]findings.Check, len(e.defs))
	for i, d := range e.defs {
		out[i] = d.meta
		out[i].CIS = append([]string(nil), d.meta.CIS...)
		out[i].SecurityHub = append([]string(nil), d.meta.SecurityHub...)
		out[i].Requires = append([]string(nil), d.meta.Requires...)
	}
	return out
}

// prepared returns the prepared query that evaluates exactly defs.
func (e *Engine) prepared(ctx context.Context, defs []*checkDef) (*preparedQuery, error) {
	ids := make([]string, len(defs))
	for i, d := range defs {
		ids[i] = d.meta.ID
	}
	key := strings.Join(ids, ",")
	e.mu.Lock()
	defer e.mu.Unlock()
	if q, ok := e.queries[key]; ok {
		return q, nil
	}
	var parts []string
	for i, d := range defs {
		parts = append(parts, fmt.Sprintf("r%d := %s.results", i, d.pkg))
	}
	if len(parts) == 0 {
		parts = []string{"true"}
	}
	pq, err := rego.New(
		rego.Compiler(e.compiler),
		rego.Query(strings.Join(parts, "; ")),
		rego.StrictBuiltinErrors(true),
		iamDecideFunc,
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing the checks query: %w", err)
	}
	q := &preparedQuery{defs: defs, pq: pq}
	e.queries[key] = q
	return q, nil
}

// Evaluate runs the selected checks (nil or empty = all) on the snapshot. Checks whose
// required sources are missing or errored yield one NOT_ASSESSED result on
// the account instead of their rule output.
func (e *Engine) Evaluate(ctx context.Context, snap *snapshot.Snapshot, checkIDs []string) ([]findings.Result, error) {
	selected, err := e.selectChecks(checkIDs)
	if err != nil {
		return nil, err
	}
	f, err := facts.Build(snap)
	if err != nil {
		return nil, err
	}
	return e.evaluateFacts(ctx, f, selected)
}

// evaluateFacts is Evaluate after facts.Build.
func (e *Engine) evaluateFacts(ctx context.Context, f *facts.Facts, selected []*checkDef) ([]findings.Result, error) {
	ctx = withAccount(ctx, f.Access)
	account := findings.Resource{ARN: f.Account.ARN, Type: "AWS::Account", Name: f.Account.ID}
	var results []findings.Result
	var runnable []*checkDef
	for _, d := range selected {
		if msg := unmetRequirements(f, d.meta.Requires); msg != "" {
			results = append(results, e.result(d, f.Account.ID, findings.NotAssessed, account, msg, ""))
			continue
		}
		runnable = append(runnable, d)
	}
	if len(runnable) > 0 {
		input, err := e.input(f)
		if err != nil {
			return nil, err
		}
		out, err := e.eval(ctx, runnable, input)
		if err != nil {
			return nil, err
		}
		for i, d := range runnable {
			rs, err := e.decode(d, f.Account.ID, out[i])
			if err != nil {
				return nil, err
			}
			results = append(results, rs...)
		}
	}
	sortResults(results)
	return results, nil
}

func (e *Engine) selectChecks(ids []string) ([]*checkDef, error) {
	if len(ids) == 0 {
		return e.defs, nil
	}
	seen := map[string]bool{}
	var out []*checkDef
	var unknown []string
	for _, id := range ids {
		d, ok := e.byID[id]
		if !ok {
			unknown = append(unknown, id)
			continue
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, d)
		}
	}
	if len(unknown) > 0 {
		known := make([]string, len(e.defs))
		for i, d := range e.defs {
			known[i] = d.meta.ID
		}
		return nil, fmt.Errorf("unknown check ID(s) %s (known: %s)", strings.Join(unknown, ", "), strings.Join(known, ", "))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].meta.ID < out[j].meta.ID })
	return out, nil
}

// unmetRequirements explains why a check cannot be assessed, or returns "".
func unmetRequirements(f *facts.Facts, requires []string) string {
	var reasons []string
	for _, src := range requires {
		st, ok := f.Sources[src]
		switch {
		case !ok:
			reasons = append(reasons, fmt.Sprintf("source %s was not collected", src))
		case st.Status != snapshot.StatusOK:
			r := fmt.Sprintf("source %s failed", src)
			if st.ErrorCode != "" || st.ErrorMessage != "" {
				r += fmt.Sprintf(" (%s: %s)", st.ErrorCode, st.ErrorMessage)
			}
			reasons = append(reasons, r)
		}
	}
	if len(reasons) == 0 {
		return ""
	}
	return "Not assessed: " + strings.Join(reasons, "; ") + "."
}

// input converts the facts to a Rego value once and adds the parameters.
func (e *Engine) input(f *facts.Facts) (ast.Value, error) {
	v, err := toValue(reflect.ValueOf(f))
	if err != nil {
		return nil, fmt.Errorf("converting facts for Rego: %w", err)
	}
	obj, ok := v.(ast.Object)
	if !ok {
		return nil, errors.New("converting facts for Rego: not an object")
	}
	obj.Insert(ast.StringTerm("params"), ast.NewTerm(e.params))
	return obj, nil
}

// eval runs one query for all runnable checks and returns each check's raw
// results in order. When the query fails, it finds the check(s) at fault.
func (e *Engine) eval(ctx context.Context, defs []*checkDef, input ast.Value) ([]any, error) {
	q, err := e.prepared(ctx, defs)
	if err != nil {
		return nil, err
	}
	rs, err := q.pq.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, e.blame(ctx, defs, input, err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("evaluating checks: expected one result set, got %d", len(rs))
	}
	out := make([]any, len(defs))
	for i := range defs {
		v, ok := rs[0].Bindings[fmt.Sprintf("r%d", i)]
		if !ok {
			return nil, fmt.Errorf("check %s: no results value", defs[i].meta.ID)
		}
		out[i] = v
	}
	return out, nil
}

// blame names the checks whose evaluation fails. A Rego error carries the
// location of the failing expression; when that is in a shared library,
// each check is run alone to find the culprit.
func (e *Engine) blame(ctx context.Context, defs []*checkDef, input ast.Value, err error) error {
	var te *topdown.Error
	if errors.As(err, &te) && te.Location != nil {
		if d, ok := e.byFile[te.Location.File]; ok {
			return fmt.Errorf("check %s: %w", d.meta.ID, err)
		}
	}
	if len(defs) == 1 {
		return fmt.Errorf("check %s: %w", defs[0].meta.ID, err)
	}
	var errs []error
	for _, d := range defs {
		q, perr := e.prepared(ctx, []*checkDef{d})
		if perr != nil {
			errs = append(errs, perr)
			continue
		}
		if _, eerr := q.pq.Eval(ctx, rego.EvalParsedInput(input)); eerr != nil {
			errs = append(errs, fmt.Errorf("check %s: %w", d.meta.ID, eerr))
		}
	}
	if len(errs) == 0 {
		return fmt.Errorf("evaluating checks: %w", err)
	}
	return errors.Join(errs...)
}

// decode turns one check's `results` set into findings. Each element must be
// an object {status, resource: {arn, type, name}, message, detail?}.
func (e *Engine) decode(d *checkDef, accountID string, v any) ([]findings.Result, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("check %s: results must be a set, got %T", d.meta.ID, v)
	}
	out := make([]findings.Result, 0, len(items))
	seen := make(map[[2]string]bool, len(items))
	for _, it := range items {
		bad := func(format string, args ...any) error {
			b, _ := json.Marshal(it)
			return fmt.Errorf("check %s: result %s: %s", d.meta.ID, b, fmt.Sprintf(format, args...))
		}
		obj, ok := it.(map[string]any)
		if !ok {
			return nil, bad("not an object")
		}
		str := func(m map[string]any, key string, required bool) (string, error) {
			x, present := m[key]
			if !present || x == nil {
				if required {
					return "", bad("%s is required", key)
				}
				return "", nil
			}
			s, ok := x.(string)
			if !ok {
				return "", bad("%s must be a string", key)
			}
			if required && s == "" {
				return "", bad("%s is empty", key)
			}
			return s, nil
		}
		statusStr, err := str(obj, "status", true)
		if err != nil {
			return nil, err
		}
		status := findings.Status(statusStr)
		if status != findings.Pass && status != findings.Fail && status != findings.NotAssessed {
			return nil, bad("status %q is not PASS, FAIL or NOT_ASSESSED", statusStr)
		}
		resObj, ok := obj["resource"].(map[string]any)
		if !ok {
			return nil, bad("resource must be an object")
		}
		var res findings.Resource
		if res.ARN, err = str(resObj, "arn", true); err != nil {
			return nil, err
		}
		if res.Type, err = str(resObj, "type", false); err != nil {
			return nil, err
		}
		if res.Name, err = str(resObj, "name", false); err != nil {
			return nil, err
		}
		msg, err := str(obj, "message", true)
		if err != nil {
			return nil, err
		}
		detail, err := str(obj, "detail", false)
		if err != nil {
			return nil, err
		}
		key := [2]string{res.ARN, detail}
		if seen[key] {
			return nil, fmt.Errorf("check %s: two results for resource %s detail %q; results on one resource need distinct details", d.meta.ID, res.ARN, detail)
		}
		seen[key] = true
		out = append(out, e.result(d, accountID, status, res, msg, detail))
	}
	return out, nil
}

func (e *Engine) result(d *checkDef, accountID string, status findings.Status, res findings.Resource, msg, detail string) findings.Result {
	return findings.Result{
		CheckID:     d.meta.ID,
		Title:       d.meta.Title,
		Severity:    d.meta.Severity,
		Status:      status,
		Resource:    res,
		Message:     msg,
		Detail:      detail,
		Fingerprint: findings.Fingerprint(d.meta.ID, accountID, res.ARN, detail),
	}
}

func sortResults(rs []findings.Result) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.CheckID != b.CheckID {
			return a.CheckID < b.CheckID
		}
		if a.Resource.ARN != b.Resource.ARN {
			return a.Resource.ARN < b.Resource.ARN
		}
		return a.Detail < b.Detail
	})
}
