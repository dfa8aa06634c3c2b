// Package engine evaluates the Rego checks against a snapshot's facts. It is
// the only package that imports OPA. Modules are parsed and compiled once in
// New; each Evaluate converts the facts (built by facts.Build) to a Rego
// value once and runs one prepared query that returns every selected check's
// results, then names the causes of every NOT_ASSESSED result. RunTests runs
// the checks' Rego tests with the same compiler and built-ins.
package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

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
	// paramValues are the parameters in force, for filling titles.
	paramValues map[string]any

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
	for _, d := range defs {
		d.libs = importedLibs(d, mods)
	}
	compiler, err := Compile(mods)
	if err != nil {
		return nil, err
	}
	params, err := mergeParams(defs, opts.Params)
	if err != nil {
		return nil, err
	}
	values, err := paramMap(params)
	if err != nil {
		return nil, err
	}
	for _, d := range defs {
		if _, err := fillTitle(d.meta.Title, values); err != nil {
			return nil, fmt.Errorf("%s: check %s: title: %w", strings.Join(d.files, ", "), d.meta.ID, err)
		}
	}
	e := &Engine{
		compiler:    compiler,
		defs:        defs,
		byID:        map[string]*checkDef{},
		byFile:      map[string]*checkDef{},
		params:      params,
		paramValues: values,
		queries:     map[string]*preparedQuery{},
	}
	for _, d := range defs {
		d.title = e.title(d)
		e.byID[d.meta.ID] = d
		for _, f := range d.files {
			e.byFile[f] = d
		}
	}
	// Prepare the queries of all checks now so that a broken rule set
	// fails here rather than on first use.
	for _, g := range e.groupChecks(defs) {
		if _, err := e.prepared(context.Background(), g); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Checks returns every loaded check's metadata, sorted by ID.
func (e *Engine) Checks() []findings.Check {
	out := make([]findings.Check, len(e.defs))
	for i, d := range e.defs {
		out[i] = d.meta
		out[i].Title = e.title(d)
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
		// The results stay Rego values: decode reads them as such, without
		// first building Go maps of every result (a tenth of the
		// evaluation's time on a 10,000-user account).
		rego.GenerateJSON(func(t *ast.Term, _ *rego.EvalContext) (any, error) { return t, nil }),
	).PrepareForEval(ctx)
	if err != nil {
		return nil, fmt.Errorf("preparing the checks query: %w", err)
	}
	q := &preparedQuery{defs: defs, pq: pq}
	e.queries[key] = q
	return q, nil
}

// Outcome is everything one evaluation produces: the results and why the
// audit is incomplete (one cause per failed source or unusable item, sorted).
type Outcome struct {
	Results []findings.Result
	Causes  []findings.Cause
}

// Evaluate runs the selected checks (nil or empty = all; IDs as
// ResolveChecks takes them) on facts built by facts.Build. Checks whose
// required sources are missing or errored yield one NOT_ASSESSED result on
// the account instead of their rule output; items that could not be used
// make only the results that depend on them NOT_ASSESSED. Causes says which
// source or item left which checks NOT_ASSESSED. An unknown check ID is an
// *UnknownCheckError.
func (e *Engine) Evaluate(ctx context.Context, f *facts.Facts, checkIDs []string) (*Outcome, error) {
	if f == nil {
		return nil, errors.New("engine: no facts to evaluate")
	}
	selected, err := e.selectChecks(checkIDs)
	if err != nil {
		return nil, err
	}
	// The causes need only the sources and problems: the rest of the
	// facts is garbage once evaluate has converted them for Rego, which
	// lowers the audit's peak memory by their size.
	kept := &facts.Facts{Sources: f.Sources, Problems: f.Problems}
	results, err := e.evaluate(ctx, f, selected)
	if err != nil {
		return nil, err
	}
	return &Outcome{Results: results, Causes: e.causes(kept, selected, results)}, nil
}

// evaluate runs the selected checks on the facts.
//
// Nothing of f but its access model (for lockdown.iam.decide) is used once
// the input is built, so that the facts can be collected while the checks
// run.
func (e *Engine) evaluate(ctx context.Context, f *facts.Facts, selected []*checkDef) ([]findings.Result, error) {
	ctx = withEvaluation(ctx, f.Access, factsTime(f))
	accountID := f.Account.ID
	account := findings.Resource{ARN: f.Account.ARN, Type: "AWS::Account", Name: accountID}
	var results []findings.Result
	var runnable []*checkDef
	for _, d := range selected {
		if msg := unmetRequirements(f, d.meta.Requires); msg != "" {
			results = append(results, e.result(d, accountID, findings.NotAssessed, account, msg, "", nil))
			continue
		}
		runnable = append(runnable, d)
	}
	if len(runnable) > 0 {
		input, err := e.input(f)
		if err != nil {
			return nil, err
		}
		rs, err := e.evalChecks(ctx, runnable, input, accountID)
		if err != nil {
			return nil, err
		}
		results = append(results, rs...)
	}
	sortResults(results)
	return results, nil
}

// factsTime is the collection time the facts were built at: "now" for the
// checks, the Go analysis and lockdown.iam.decide alike.
func factsTime(f *facts.Facts) time.Time {
	if f.NowEpoch == 0 {
		return time.Time{}
	}
	return time.Unix(f.NowEpoch, 0).UTC()
}

// ErrorCodeNotCollected is the error code of a cause whose source was never
// collected.
const ErrorCodeNotCollected = "NotCollected"

// causes explains every NOT_ASSESSED result: a source that failed or was
// not collected (for the checks that require it), an item that could not be
// used (for the checks with a NOT_ASSESSED result on what it leaves
// unknown), and, for any NOT_ASSESSED result neither explains, the resource
// itself with the check's message.
func (e *Engine) causes(f *facts.Facts, selected []*checkDef, results []findings.Result) []findings.Cause {
	type key struct{ source, item string }
	byKey := map[key]*findings.Cause{}
	checks := map[key]map[string]bool{}
	add := func(k key, c findings.Cause, check string) {
		if byKey[k] == nil {
			cc := c
			byKey[k] = &cc
			checks[k] = map[string]bool{}
		}
		checks[k][check] = true
	}
	failed := map[string]bool{} // checks not run for want of a source
	for _, d := range selected {
		for _, src := range d.meta.Requires {
			st, ok := f.Sources[src]
			c := findings.Cause{Source: src, Action: snapshot.SourceActions[src]}
			switch {
			case !ok:
				c.ErrorCode, c.Message = ErrorCodeNotCollected, "the source was not collected"
			case st.Status != snapshot.StatusOK:
				c.ErrorCode, c.Message = st.ErrorCode, st.ErrorMessage
				if st.ErrorAction != "" {
					c.Action = st.ErrorAction
				}
			default:
				continue
			}
			failed[d.meta.ID] = true
			add(key{source: src}, c, d.meta.ID)
		}
	}
	// NOT_ASSESSED results by resource ARN and check.
	notAssessed := map[string]map[string]bool{}
	var leftovers []findings.Result
	for _, r := range results {
		if r.Status != findings.NotAssessed || failed[r.CheckID] {
			continue
		}
		if notAssessed[r.Resource.ARN] == nil {
			notAssessed[r.Resource.ARN] = map[string]bool{}
		}
		notAssessed[r.Resource.ARN][r.CheckID] = true
		leftovers = append(leftovers, r)
	}
	explained := map[[2]string]bool{} // ARN, check
	for _, p := range f.Problems {
		k := key{source: p.Source, item: p.Item}
		for _, arn := range p.Resources {
			for _, d := range selected {
				id := d.meta.ID
				if notAssessed[arn][id] && contains(d.meta.Requires, p.Source) {
					add(k, findings.Cause{Source: p.Source, Action: snapshot.SourceActions[p.Source], Item: p.Item,
						ErrorCode: p.Code, Message: p.Message}, id)
					explained[[2]string{arn, id}] = true
				}
			}
		}
	}
	for _, r := range leftovers {
		if explained[[2]string{r.Resource.ARN, r.CheckID}] {
			continue
		}
		d := e.byID[r.CheckID]
		src := "check " + r.CheckID // a custom check may require no source
		if len(d.meta.Requires) > 0 {
			src = d.meta.Requires[0]
		}
		item := r.Resource.Type + " " + r.Resource.Name
		if r.Resource.Name == "" {
			item = r.Resource.ARN
		}
		add(key{source: src, item: item}, findings.Cause{Source: src, Action: snapshot.SourceActions[src], Item: item, Message: r.Message}, r.CheckID)
	}
	out := make([]findings.Cause, 0, len(byKey))
	for k, c := range byKey {
		for id := range checks[k] {
			c.Checks = append(c.Checks, id)
		}
		sort.Strings(c.Checks)
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Source != b.Source {
			return a.Source < b.Source
		}
		if a.Item != b.Item {
			return a.Item < b.Item
		}
		return a.Message < b.Message
	})
	return out
}

// selectChecks turns check IDs into their definitions, sorted by ID; the IDs
// are validated by ResolveChecks, the one place that does.
func (e *Engine) selectChecks(ids []string) ([]*checkDef, error) {
	if len(ids) == 0 {
		return e.defs, nil
	}
	canon, err := e.ResolveChecks(ids)
	if err != nil {
		return nil, err
	}
	out := make([]*checkDef, len(canon))
	for i, id := range canon {
		out[i] = e.byID[id]
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

// evalChecks runs the checks' queries on the input and decodes their
// results, as many queries at once as there are processors. Checks that
// call the same functions with the same arguments share a query, which
// evaluates each such call once (see groupChecks).
// Each query's Rego results are decoded and dropped as soon as it is done.
// The results come in the order of defs; when checks fail, each failing
// query's checks are named, in that order.
func (e *Engine) evalChecks(ctx context.Context, defs []*checkDef, input ast.Value, accountID string) ([]findings.Result, error) {
	groups := e.groupChecks(defs)
	per := make([][]findings.Result, len(groups))
	errs := make([]error, len(groups))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(groups)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				per[i], errs[i] = e.evalGroup(ctx, groups[i], input, accountID)
			}
		}()
	}
	for i := range groups {
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n := 0
	for _, rs := range per {
		n += len(rs)
	}
	out := make([]findings.Result, 0, n)
	for i := range per {
		out = append(out, per[i]...)
		per[i] = nil
	}
	return out, nil
}

// groupChecks splits defs (in their order) into the checks that share a
// query: those of one directory, and those that import the same library
// (beyond the result, time and unknown helpers every check uses), since
// they call its functions with the same arguments. The largest group
// comes first.
func (e *Engine) groupChecks(defs []*checkDef) [][]*checkDef {
	parent := make([]int, len(defs))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	first := map[string]int{} // affinity key -> first def with it
	for i, d := range defs {
		for _, k := range e.affinity(d) {
			if j, ok := first[k]; ok {
				parent[find(i)] = find(j)
			} else {
				first[k] = i
			}
		}
	}
	var groups [][]*checkDef
	index := map[int]int{}
	for i, d := range defs {
		r := find(i)
		g, ok := index[r]
		if !ok {
			g = len(groups)
			index[r] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], d)
	}
	slices.SortStableFunc(groups, func(a, b []*checkDef) int { return len(b) - len(a) })
	return groups
}

// commonLibs are the libraries every check imports: sharing them says
// nothing about sharing work.
var commonLibs = map[string]bool{"data.lockdown.lib.result": true, "data.lockdown.lib.time": true, "data.lockdown.lib.unknown": true}

// affinity is what ties a check to others in a query: its directory and
// the libraries it imports (read by New before compiling, which resolves
// the imports away).
func (e *Engine) affinity(d *checkDef) []string {
	keys := []string{"dir " + path.Dir(d.files[0])}
	for _, lib := range d.libs {
		keys = append(keys, "lib "+lib)
	}
	return keys
}

// importedLibs lists the libraries the modules of d import, the common
// ones aside.
func importedLibs(d *checkDef, mods map[string]*ast.Module) []string {
	var libs []string
	for _, f := range d.files {
		for _, imp := range mods[f].Imports {
			if name := imp.Path.String(); strings.HasPrefix(name, "data.lockdown.lib.") && !commonLibs[name] && !slices.Contains(libs, name) {
				libs = append(libs, name)
			}
		}
	}
	return libs
}

// evalGroup runs one query for defs and decodes each check's results. When
// the query fails, it finds the check(s) at fault.
func (e *Engine) evalGroup(ctx context.Context, defs []*checkDef, input ast.Value, accountID string) ([]findings.Result, error) {
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
	var out []findings.Result
	for i, d := range defs {
		v, ok := rs[0].Bindings[fmt.Sprintf("r%d", i)]
		if !ok {
			return nil, fmt.Errorf("check %s: no results value", d.meta.ID)
		}
		res, err := e.decode(d, accountID, v)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
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
	var items []*ast.Term
	t, _ := v.(*ast.Term)
	if t != nil {
		switch x := t.Value.(type) {
		case ast.Set:
			items = x.Slice()
		case *ast.Array:
			items = make([]*ast.Term, x.Len())
			for i := range items {
				items[i] = x.Elem(i)
			}
		default:
			t = nil
		}
	}
	if t == nil {
		return nil, fmt.Errorf("check %s: results must be a set, got %s", d.meta.ID, typeName(v))
	}
	out := make([]findings.Result, 0, len(items))
	seen := make(map[[2]string]bool, len(items))
	for _, it := range items {
		bad := func(format string, args ...any) error {
			j, _ := ast.JSON(it.Value)
			b, _ := json.Marshal(j)
			return fmt.Errorf("check %s: result %s: %s", d.meta.ID, b, fmt.Sprintf(format, args...))
		}
		obj, ok := it.Value.(ast.Object)
		if !ok {
			return nil, bad("not an object")
		}
		str := func(m ast.Object, key *ast.Term, required bool) (string, error) {
			x := m.Get(key)
			if x == nil || x.Value.Compare(ast.Null{}) == 0 {
				if required {
					return "", bad("%s is required", string(key.Value.(ast.String)))
				}
				return "", nil
			}
			s, ok := x.Value.(ast.String)
			if !ok {
				return "", bad("%s must be a string", string(key.Value.(ast.String)))
			}
			if required && s == "" {
				return "", bad("%s is empty", string(key.Value.(ast.String)))
			}
			return string(s), nil
		}
		statusStr, err := str(obj, keyStatus, true)
		if err != nil {
			return nil, err
		}
		status := findings.Status(statusStr)
		if status != findings.Pass && status != findings.Fail && status != findings.NotAssessed && status != findings.NotApplicable {
			return nil, bad("status %q is not PASS, FAIL, NOT_ASSESSED or NOT_APPLICABLE", statusStr)
		}
		var resObj ast.Object
		if x := obj.Get(keyResource); x != nil {
			resObj, _ = x.Value.(ast.Object)
		}
		if resObj == nil {
			return nil, bad("resource must be an object")
		}
		var res findings.Resource
		if res.ARN, err = str(resObj, keyARN, true); err != nil {
			return nil, err
		}
		if res.Type, err = str(resObj, keyType, false); err != nil {
			return nil, err
		}
		if res.Name, err = str(resObj, keyName, false); err != nil {
			return nil, err
		}
		msg, err := str(obj, keyMessage, true)
		if err != nil {
			return nil, err
		}
		detail, err := str(obj, keyDetail, false)
		if err != nil {
			return nil, err
		}
		var evidence any
		if x := obj.Get(keyEvidence); x != nil {
			if evidence, err = ast.JSON(x.Value); err != nil {
				return nil, bad("evidence: %v", err)
			}
		}
		ev, err := decodeEvidence(evidence)
		if err != nil {
			return nil, bad("%v", err)
		}
		key := [2]string{res.ARN, detail}
		if seen[key] {
			return nil, fmt.Errorf("check %s: two results for resource %s detail %q; results on one resource need distinct details", d.meta.ID, res.ARN, detail)
		}
		seen[key] = true
		out = append(out, e.result(d, accountID, status, res, msg, detail, ev))
	}
	return out, nil
}

// The keys of a check result, as Rego strings.
var (
	keyStatus   = ast.StringTerm("status")
	keyResource = ast.StringTerm("resource")
	keyARN      = ast.StringTerm("arn")
	keyType     = ast.StringTerm("type")
	keyName     = ast.StringTerm("name")
	keyMessage  = ast.StringTerm("message")
	keyDetail   = ast.StringTerm("detail")
	keyEvidence = ast.StringTerm("evidence")
)

// typeName names the JSON type of a check's results value, for errors.
func typeName(v any) string {
	t, ok := v.(*ast.Term)
	if !ok || t == nil {
		return fmt.Sprintf("%T", v)
	}
	return ast.ValueName(t.Value)
}

// evidenceLists are the lists an evidence object may hold.
var evidenceLists = []string{"actions", "resources", "statements", "contexts", "principals", "items"}

// decodePaths reads evidence.paths: escalation paths of the shape
// findings.EscalationPath, nothing else.
func decodePaths(x any) ([]findings.EscalationPath, error) {
	b, err := json.Marshal(x)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var out []findings.EscalationPath
	if err := dec.Decode(&out); err != nil {
		return nil, fmt.Errorf("evidence.paths: %v", err)
	}
	return out, nil
}

// decodeEvidence reads a result's optional evidence object: each list an
// array (or set) of strings, returned sorted and without duplicates.
func decodeEvidence(v any) (*findings.Evidence, error) {
	if v == nil {
		return nil, nil
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("evidence must be an object, got %T", v)
	}
	lists := map[string][]string{}
	var paths []findings.EscalationPath
	for k, x := range obj {
		if k == "paths" {
			p, err := decodePaths(x)
			if err != nil {
				return nil, err
			}
			paths = p
			continue
		}
		if !contains(evidenceLists, k) {
			return nil, fmt.Errorf("evidence.%s is not one of %s, paths", k, strings.Join(evidenceLists, ", "))
		}
		items, ok := x.([]any)
		if !ok {
			return nil, fmt.Errorf("evidence.%s must be an array of strings, got %T", k, x)
		}
		var ss []string
		for _, it := range items {
			s, ok := it.(string)
			if !ok {
				return nil, fmt.Errorf("evidence.%s: %v is not a string", k, it)
			}
			ss = append(ss, s)
		}
		sort.Strings(ss)
		lists[k] = slices.Compact(ss)
	}
	ev := &findings.Evidence{Actions: lists["actions"], Resources: lists["resources"], Statements: lists["statements"],
		Contexts: lists["contexts"], Principals: lists["principals"], Items: lists["items"], Paths: paths}
	if len(ev.Actions)+len(ev.Resources)+len(ev.Statements)+len(ev.Contexts)+len(ev.Principals)+len(ev.Items)+len(ev.Paths) == 0 {
		return nil, nil
	}
	return ev, nil
}

var placeholder = regexp.MustCompile(`\{([^{}]*)\}`)

// fillTitle replaces each {name} in a title with parameter name's value.
// A placeholder that names no parameter is an error.
func fillTitle(title string, params map[string]any) (string, error) {
	var missing []string
	out := placeholder.ReplaceAllStringFunc(title, func(m string) string {
		name := m[1 : len(m)-1]
		v, ok := params[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return fmt.Sprint(v)
	})
	if len(missing) > 0 {
		return "", fmt.Errorf("placeholder {%s} names no parameter", strings.Join(missing, "}, {"))
	}
	return out, nil
}

// title is a check's title with the parameters in force filled in.
func (e *Engine) title(d *checkDef) string {
	t, err := fillTitle(d.meta.Title, e.paramValues)
	if err != nil {
		return d.meta.Title // New validated every title
	}
	return t
}

// paramMap turns the merged parameters back into Go values.
func paramMap(v ast.Value) (map[string]any, error) {
	x, err := ast.JSON(v)
	if err != nil {
		return nil, fmt.Errorf("parameters: %w", err)
	}
	m, ok := x.(map[string]any)
	if !ok {
		return nil, errors.New("parameters: not an object")
	}
	return m, nil
}

func (e *Engine) result(d *checkDef, accountID string, status findings.Status, res findings.Resource, msg, detail string, ev *findings.Evidence) findings.Result {
	return findings.Result{
		CheckID:     d.meta.ID,
		Title:       d.title, // filled in once, by New
		Severity:    d.meta.Severity,
		Status:      status,
		Resource:    res,
		Message:     msg,
		Detail:      detail,
		Fingerprint: findings.Fingerprint(d.meta.ID, accountID, res.ARN, detail),
		Evidence:    ev,
	}
}

// sortResults orders results by check, resource ARN and detail (unique
// together). The results are large: an order of indices is sorted, then
// applied by moving each result once.
func sortResults(rs []findings.Result) {
	order := make([]int32, len(rs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &rs[i], &rs[j]
		if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
			return c
		}
		if c := strings.Compare(a.Resource.ARN, b.Resource.ARN); c != 0 {
			return c
		}
		return strings.Compare(a.Detail, b.Detail)
	})
	// rs[k] is to receive rs[order[k]]: follow each cycle of the
	// permutation once.
	for start := range order {
		if order[start] < 0 || int(order[start]) == start {
			continue
		}
		held := rs[start]
		k := start
		for {
			src := int(order[k])
			order[k] = -1
			if src == start {
				rs[k] = held
				break
			}
			rs[k] = rs[src]
			k = src
		}
	}
}

// InputJSON returns the Rego input document the checks query for these
// facts, with the parameters in force, as indented JSON: exactly the value
// Evaluate converts, keys sorted, so the same snapshot and parameters always
// give the same bytes.
func (e *Engine) InputJSON(f *facts.Facts) ([]byte, error) {
	if f == nil {
		return nil, errors.New("engine: no facts")
	}
	v, err := e.input(f)
	if err != nil {
		return nil, err
	}
	x, err := ast.JSON(v)
	if err != nil {
		return nil, fmt.Errorf("input document: %w", err)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(x); err != nil {
		return nil, fmt.Errorf("input document: %w", err)
	}
	return buf.Bytes(), nil
}
