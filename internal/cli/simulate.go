package cli

import (
	"fmt"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
)

type simulateOptions struct {
	SnapshotPath string
	Principal    string
	Action       string
	Resource     string
	Context      string
	MFAAge       int
	Keys         []string
	Format       string
}

func newSimulateCmd(streams *term.IO) *cobra.Command {
	o := &simulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate --snapshot FILE --principal ARN|NAME --action ACTION",
		Short: "Ask what IAM would decide for one request, and why",
		Long: `Evaluate one request against the principal's policies in a snapshot, the way
IAM does for a single account: an explicit Deny wins, otherwise an Allow is
needed in the identity policies (and in the permissions boundary, if any);
for sts:AssumeRole on a role of the account its trust policy takes part.

Request contexts: access_key (long-term keys: no MFA keys at all),
session_no_mfa (aws:MultiFactorAuthPresent=false), mfa_session
(aws:MultiFactorAuthPresent=true with aws:MultiFactorAuthAge), or none
(principal keys only). --key adds or overrides keys; repeat a key for a
multi-valued one.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runSimulate(o, streams) },
	}
	fs := cmd.Flags()
	fs.StringVar(&o.SnapshotPath, "snapshot", "", "snapshot file (required)")
	fs.StringVar(&o.Principal, "principal", "", "user or role, by ARN or name (required)")
	fs.StringVar(&o.Action, "action", "", "action, e.g. iam:CreateUser (required)")
	fs.StringVar(&o.Resource, "resource", "*", "resource ARN")
	fs.StringVar(&o.Context, "context", iampolicy.ContextAccessKey, "request context: access_key|session_no_mfa|mfa_session|none")
	fs.IntVar(&o.MFAAge, "mfa-age", iampolicy.DefaultMFAAgeSeconds, "aws:MultiFactorAuthAge in seconds for --context mfa_session")
	fs.StringArrayVar(&o.Keys, "key", nil, "context key as KEY=VALUE (repeatable)")
	fs.StringVar(&o.Format, "format", "text", "text|json")
	return cmd
}

// simulation is the JSON form of a decision.
type simulation struct {
	Principal string                       `json:"principal"`
	Action    string                       `json:"action"`
	Resource  string                       `json:"resource"`
	Context   map[string][]string          `json:"context"`
	Decision  iampolicy.Effect             `json:"decision"`
	Allowed   bool                         `json:"allowed"`
	Reason    string                       `json:"reason"`
	Matched   []iampolicy.MatchedStatement `json:"matched_statements"`
	Missing   []string                     `json:"missing_context_values"`
}

func runSimulate(o *simulateOptions, streams *term.IO) error {
	switch {
	case o.SnapshotPath == "":
		return inputErr("simulate needs --snapshot FILE")
	case o.Principal == "":
		return inputErr("simulate needs --principal ARN|NAME")
	case o.Action == "" || !strings.Contains(o.Action, ":"):
		return inputErr("--action %q: expected service:Action, e.g. iam:CreateUser", o.Action)
	case o.Format != "text" && o.Format != "json":
		return inputErr("--format %q: expected text or json", o.Format)
	}
	snap, _, err := snapshot.Load(o.SnapshotPath)
	if err != nil {
		return asInput(err)
	}
	if !snap.OK(snapshot.SourceAuthorizationDetails) {
		return inputErr("%s: the authorization_details source is incomplete, so policies are missing; a simulation would not be trustworthy", o.SnapshotPath)
	}
	acct, err := access.New(snap)
	if err != nil {
		return asInput(fmt.Errorf("%s: %w", o.SnapshotPath, err))
	}
	subj, err := acct.Lookup(o.Principal)
	if err != nil {
		return asInput(fmt.Errorf("%s: %w", o.SnapshotPath, err))
	}
	ctx := map[string][]string{}
	if o.Context != "none" {
		ctx, err = iampolicy.NamedContext(o.Context, subj.Principal, iampolicy.ContextOptions{
			MFAAgeSeconds: o.MFAAge, CurrentTime: snap.CollectedAt,
		})
		if err != nil {
			return asInput(fmt.Errorf("--context: %w", err))
		}
	}
	overridden := map[string]bool{}
	for _, kv := range o.Keys {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return inputErr("--key %q: expected KEY=VALUE", kv)
		}
		if !overridden[k] {
			for existing := range ctx {
				if strings.EqualFold(existing, k) {
					delete(ctx, existing)
				}
			}
			overridden[k] = true
		}
		ctx[k] = append(ctx[k], v)
	}
	d := acct.Decide(subj, o.Action, o.Resource, ctx)
	sim := simulation{
		Principal: subj.ARN, Action: o.Action, Resource: o.Resource, Context: ctx,
		Decision: d.Effect, Allowed: d.Allowed, Reason: d.Reason, Matched: d.Matched, Missing: d.Missing,
	}
	if sim.Matched == nil {
		sim.Matched = []iampolicy.MatchedStatement{}
	}
	if sim.Missing == nil {
		sim.Missing = []string{}
	}
	if o.Format == "json" {
		return asRuntime(writeJSON(streams.Out, sim))
	}
	printSimulation(streams, &sim)
	return nil
}

func printSimulation(streams *term.IO, s *simulation) {
	// Names, Sids and the request come from the snapshot and the user:
	// inert, so they print as text.
	w := streams.Out
	fmt.Fprintf(w, "%s\n", s.Decision)
	fmt.Fprintf(w, "  principal: %s\n  action:    %s\n  resource:  %s\n", inert(s.Principal), inert(s.Action), inert(s.Resource))
	keys := make([]string, 0, len(s.Context))
	for k := range s.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(w, "  context:\n")
	for _, k := range keys {
		fmt.Fprintf(w, "    %s = %s\n", inert(k), inert(strings.Join(s.Context[k], ", ")))
	}
	fmt.Fprintf(w, "  reason: %s\n", inert(s.Reason))
	if len(s.Matched) > 0 {
		fmt.Fprintf(w, "  matched statements:\n")
		for _, m := range s.Matched {
			fmt.Fprintf(w, "    %-5s %s (%s) statement %s\n", m.Effect, inert(m.Policy), m.PolicyKind, inert(m.Label()))
		}
	}
	if len(s.Missing) > 0 {
		fmt.Fprintf(w, "  missing context values: %s\n", inert(strings.Join(s.Missing, ", ")))
	}
}
