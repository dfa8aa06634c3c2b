package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/compliance"
	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/term"
	"github.com/lockdown-dev/lockdown/report"
)

type checksOptions struct {
	Format    string
	JSON      bool
	RulesDirs []string
}

func newChecksCmd(streams *term.IO) *cobra.Command {
	o := &checksOptions{}
	cmd := &cobra.Command{
		Use:   "checks [ID]",
		Short: "List the checks and their parameters, or explain one check",
		Long: `Without an argument, list every check (built-in and from --rules) and the
parameters that tune them, with their defaults (set them with audit --param).
With a check ID (any case), explain that check: what it judges, the guide
step, the sources it requires, its parameters, the remediation and docs.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return runChecks(o, streams, args) },
	}
	fs := cmd.Flags()
	fs.StringVarP(&o.Format, "format", "f", "table", "table|json")
	fs.BoolVar(&o.JSON, "json", false, "same as --format json")
	fs.StringArrayVar(&o.RulesDirs, "rules", nil, "directory of additional Rego checks to include (repeatable)")
	return cmd
}

// checkEntry is one check as `lockdown checks --format json` prints it.
type checkEntry struct {
	findings.Check
	Parameters map[string]any `json:"parameters"`
	Custom     bool           `json:"custom"`
	Files      []string       `json:"files,omitempty"` // --rules files of a custom check
}

// paramEntry is one parameter with its default and the checks it tunes.
type paramEntry struct {
	Name    string   `json:"name"`
	Default any      `json:"default"`
	Checks  []string `json:"checks"`
}

type checksListing struct {
	ToolVersion    string       `json:"tool_version"`
	CatalogVersion string       `json:"catalog_version"`
	Checks         []checkEntry `json:"checks"`
	Parameters     []paramEntry `json:"parameters"`
}

func runChecks(o *checksOptions, streams *term.IO, args []string) error {
	if o.JSON {
		o.Format = "json"
	}
	if o.Format != "table" && o.Format != "json" {
		return inputErr("--format %q: expected table or json", o.Format)
	}
	eng, err := engine.New(engine.Options{ExtraRegoDirs: o.RulesDirs})
	if err != nil {
		return engineErr(err, len(o.RulesDirs) > 0)
	}
	fws, err := frameworks.Load()
	if err != nil {
		return asRuntime(err)
	}
	checks := eng.Checks()
	compliance.Annotate(fws, checks, nil)
	entries := make([]checkEntry, 0, len(checks))
	for _, c := range checks {
		info, _ := eng.Info(c.ID)
		e := checkEntry{Check: c, Parameters: info.Params, Custom: info.Custom}
		if info.Custom {
			e.Files = info.Files
		}
		entries = append(entries, e)
	}
	if len(args) == 1 {
		ids, err := eng.ResolveChecks(args)
		var ue *engine.UnknownCheckError
		if errors.As(err, &ue) {
			return inputErr("%s: unknown check ID (run `lockdown checks` to list them)", quoteList(args))
		} else if err != nil {
			return asRuntime(err)
		}
		for _, e := range entries {
			if e.ID == ids[0] {
				if o.Format == "json" {
					return asRuntime(writeJSON(streams.Out, e))
				}
				return asRuntime(explain(streams.Out, e))
			}
		}
	}
	defaults, users := eng.ParamDefaults()
	params := make([]paramEntry, 0, len(defaults))
	for name, v := range defaults {
		params = append(params, paramEntry{Name: name, Default: v, Checks: users[name]})
	}
	sort.Slice(params, func(i, j int) bool { return params[i].Name < params[j].Name })
	if o.Format == "json" {
		return asRuntime(writeJSON(streams.Out, checksListing{
			ToolVersion: Version, CatalogVersion: engine.CatalogVersion(), Checks: entries, Parameters: params,
		}))
	}
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSEVERITY\tSECTION\tTITLE")
	for _, c := range entries {
		title := c.Title
		if c.Custom {
			title += " [custom: " + strings.Join(c.Files, ", ") + "]"
		} else if c.GuideStep == "" {
			title += " [--framework]"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", inert(c.ID), c.Severity, inert(c.Section), inert(title))
	}
	if len(params) > 0 {
		fmt.Fprintln(tw, "")
		fmt.Fprintln(tw, "PARAMETER\tDEFAULT\tCHECKS\t")
		for _, p := range params {
			fmt.Fprintf(tw, "%s\t%v\t%s\t\n", inert(p.Name), p.Default, strings.Join(p.Checks, ", "))
		}
	}
	if err := tw.Flush(); err != nil {
		return asRuntime(err)
	}
	_, err = fmt.Fprintf(streams.Out, "\nChecks marked [--framework] run when a framework that names them is asked for (lockdown audit --framework NAME) or with --check.\nSet a parameter with `lockdown audit --param NAME=VALUE`; explain a check with `lockdown checks ID`.\n")
	return asRuntime(err)
}

func writeJSON(w io.Writer, v any) error { return report.WriteJSON(w, v) }

// runsWhen says when an audit without --check evaluates the check.
func runsWhen(c checkEntry) string {
	if c.GuideStep != "" || c.Custom {
		return "in every audit"
	}
	names := make([]string, 0, len(c.Controls))
	for fw := range c.Controls {
		names = append(names, fw)
	}
	sort.Strings(names)
	return "with --framework " + strings.Join(names, " or ") + ", or --check " + c.ID
}

// explain prints one check for a reader.
func explain(w io.Writer, c checkEntry) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s  %s\n\n", c.ID, c.Title)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "%-13s %s\n", name+":", value)
		}
	}
	field("Severity", string(c.Severity))
	field("Section", c.Section)
	field("Guide step", c.GuideStep)
	field("Requires", strings.Join(c.Requires, ", "))
	field("Controls", strings.Join(report.ControlTags(c.Controls), ", "))
	field("Runs", runsWhen(c))
	if len(c.Parameters) > 0 {
		names := make([]string, 0, len(c.Parameters))
		for k := range c.Parameters {
			names = append(names, k)
		}
		sort.Strings(names)
		parts := make([]string, len(names))
		for i, k := range names {
			parts[i] = fmt.Sprintf("%s=%v (default)", k, c.Parameters[k])
		}
		field("Parameters", strings.Join(parts, ", "))
	} else {
		field("Parameters", "none")
	}
	field("Docs", c.DocsURL)
	if c.Custom {
		field("Loaded from", strings.Join(c.Files, ", "))
	}
	section := func(name, text string) {
		if text == "" {
			return
		}
		fmt.Fprintf(&b, "\n%s\n", name)
		for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	section("Description", c.Description)
	section("Remediation", c.Remediation)
	var out strings.Builder
	for _, line := range strings.SplitAfter(b.String(), "\n") {
		out.WriteString(inert(strings.TrimSuffix(line, "\n")))
		if strings.HasSuffix(line, "\n") {
			out.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}
