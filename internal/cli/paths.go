package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/facts"
	"github.com/lockdown-dev/lockdown/internal/privesc"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/term"
)

type pathsOptions struct {
	SnapshotPath string
	Principal    string
	Format       string
}

func newPathsCmd(streams *term.IO) *cobra.Command {
	o := &pathsOptions{}
	cmd := &cobra.Command{
		Use:   "paths --snapshot FILE [--principal NAME|ARN] [--format json|dot]",
		Short: "List the privilege-escalation paths of a snapshot's principals",
		Long: `List every user's, group's and role's shortest paths to administrator-equivalent
power (at most one per request context), as check LD-PE-01 judges them: each
step is a method of the privilege-escalation catalogue whose every action the
policy engine allows, after conditions, explicit denies and permissions
boundaries. --principal limits the output to one principal (a name or an ARN;
a name shared by a user, a group or a role must be given as an ARN).

--format json (the default) prints the verdicts; --format dot prints the
paths as a Graphviz graph (dot -Tsvg). Nothing is read from AWS.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runPaths(o, streams) },
	}
	fs := cmd.Flags()
	fs.StringVar(&o.SnapshotPath, "snapshot", "", "snapshot file (required)")
	fs.StringVar(&o.Principal, "principal", "", "one user, group or role, by name or ARN (default: all)")
	fs.StringVar(&o.Format, "format", "json", "json|dot")
	return cmd
}

// pathsReport is the JSON output.
type pathsReport struct {
	Account    string             `json:"account"`
	Principals []*privesc.Verdict `json:"principals"`
}

func runPaths(o *pathsOptions, streams *term.IO) error {
	switch {
	case o.SnapshotPath == "":
		return inputErr("paths needs --snapshot FILE")
	case o.Format != "json" && o.Format != "dot":
		return inputErr("--format %q: expected json or dot", o.Format)
	}
	snap, _, err := snapshot.Load(o.SnapshotPath)
	if err != nil {
		return asInput(err)
	}
	if !snap.OK(snapshot.SourceAuthorizationDetails) {
		return inputErr("%s: the authorization_details source is incomplete, so policies are missing; paths cannot be found", o.SnapshotPath)
	}
	f, err := facts.Build(snap)
	if err != nil {
		return asInput(fmt.Errorf("%s: %w", o.SnapshotPath, err))
	}
	if f.Escalation == nil {
		return inputErr("%s: the policies cannot be read, so paths cannot be found", o.SnapshotPath)
	}
	verdicts, err := selectPrincipals(f, o.Principal)
	if err != nil {
		return err
	}
	if o.Format == "dot" {
		return asRuntime(writeDot(streams.Out, verdicts))
	}
	return asRuntime(writeJSON(streams.Out, pathsReport{Account: f.Account.ID, Principals: verdicts}))
}

// selectPrincipals finds the verdicts asked for: all (sorted by ARN), or
// the one principal ref names.
func selectPrincipals(f *facts.Facts, ref string) ([]*privesc.Verdict, error) {
	if ref == "" {
		arns := make([]string, 0, len(f.Escalation))
		for a := range f.Escalation {
			arns = append(arns, a)
		}
		sort.Strings(arns)
		out := make([]*privesc.Verdict, len(arns))
		for i, a := range arns {
			out[i] = f.Escalation[a]
		}
		return out, nil
	}
	if u := f.PolicyUnknown[ref]; u != nil {
		return nil, inputErr("--principal %q: its policies are not completely known (%s)", ref, u.Reason)
	}
	if v := f.Escalation[ref]; v != nil {
		return []*privesc.Verdict{v}, nil
	}
	var matches []string
	for a, v := range f.Escalation {
		if v.Name == ref {
			matches = append(matches, a)
		}
	}
	for a, u := range f.PolicyUnknown {
		if u.Name == ref {
			return nil, inputErr("--principal %q: the policies of %s are not completely known (%s)", ref, a, u.Reason)
		}
	}
	sort.Strings(matches)
	switch len(matches) {
	case 0:
		return nil, inputErr("--principal %q: no user, group or role of that name or ARN in the snapshot", ref)
	case 1:
		return []*privesc.Verdict{f.Escalation[matches[0]]}, nil
	}
	return nil, inputErr("--principal %q names several principals (%s); give the ARN", ref, strings.Join(matches, ", "))
}

// writeDot renders the paths as a Graphviz digraph: one node per principal
// on a path (administrator-equivalent ends drawn double), one edge per
// step labelled with its method and context. Every name is a quoted DOT
// string with quotes, backslashes and control characters escaped, so no
// account name can end a string or add a statement.
func writeDot(w io.Writer, verdicts []*privesc.Verdict) error {
	type edgeKey struct{ from, to, label string }
	nodes := map[string]bool{}
	targets := map[string]bool{}
	var order []string
	seen := map[edgeKey]bool{}
	var edges []edgeKey
	addNode := func(a string) {
		if !nodes[a] {
			nodes[a] = true
			order = append(order, a)
		}
	}
	for _, v := range verdicts {
		for _, p := range v.Paths {
			targets[p.Target] = true
			for _, s := range p.Steps {
				addNode(s.From)
				addNode(s.To)
				label := s.MethodID + " (" + p.Context + ")"
				if p.Possible {
					label += " possible"
				}
				k := edgeKey{s.From, s.To, label}
				if !seen[k] {
					seen[k] = true
					edges = append(edges, k)
				}
			}
		}
	}
	var b strings.Builder
	b.WriteString("digraph escalation {\n  rankdir=LR;\n  node [shape=box];\n")
	for _, a := range order {
		shape := ""
		if targets[a] {
			shape = ", peripheries=2"
		}
		fmt.Fprintf(&b, "  %s [label=%s%s];\n", dotString(a), dotString(shortARN(a)), shape)
	}
	for _, e := range edges {
		fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", dotString(e.from), dotString(e.to), dotString(e.label))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func shortARN(a string) string {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) == 6 {
		return parts[5]
	}
	return a
}

// dotString quotes s for DOT: a double-quoted string in which " and \ are
// escaped, and line breaks, control and format characters (bidi overrides
// included) and bytes that are not UTF-8 are written as visible \uXXXX
// text, so a label shows what the name holds and nothing else.
func dotString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\\x%02x`, s[i])
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&b, `\\u%04x`, r)
		default:
			b.WriteRune(r)
		}
		i += size
	}
	b.WriteByte('"')
	return b.String()
}
