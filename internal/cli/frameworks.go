package cli

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/frameworks"
	"github.com/lockdown-dev/lockdown/internal/compliance"
	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/term"
)

// loadFrameworks reads the embedded frameworks (tests replace it). Broken
// embedded data is this build's fault: a runtime error.
var loadFrameworks = frameworks.Load

func allFrameworks() ([]*frameworks.Framework, error) {
	fws, err := loadFrameworks()
	if err != nil {
		return nil, asRuntime(fmt.Errorf("frameworks: %w", err))
	}
	return fws, nil
}

func frameworkNames(fws []*frameworks.Framework) []string {
	names := make([]string, len(fws))
	for i, fw := range fws {
		names[i] = fw.Name
	}
	return names
}

// findFramework resolves a framework name in any case.
func findFramework(fws []*frameworks.Framework, name string) (*frameworks.Framework, bool) {
	for _, fw := range fws {
		if strings.EqualFold(fw.Name, strings.TrimSpace(name)) {
			return fw, true
		}
	}
	return nil, false
}

// selectFrameworks resolves --framework values (repeatable,
// comma-separated, any case) in the order given, each once. An unknown
// name is a usage error listing the known ones.
func selectFrameworks(fws []*frameworks.Framework, values []string) ([]*frameworks.Framework, error) {
	var out []*frameworks.Framework
	seen := map[string]bool{}
	for _, v := range values {
		for _, name := range strings.Split(v, ",") {
			if strings.TrimSpace(name) == "" {
				return nil, inputErr("--framework %q: empty framework name", v)
			}
			fw, ok := findFramework(fws, name)
			if !ok {
				return nil, inputErr("--framework %q: unknown framework (known: %s)", strings.TrimSpace(name), strings.Join(frameworkNames(fws), ", "))
			}
			if !seen[fw.Name] {
				seen[fw.Name] = true
				out = append(out, fw)
			}
		}
	}
	return out, nil
}

// addCompliance names on every check and result of rep the controls it
// decides (all frameworks, always), and appends one compliance section per
// framework in sel, in order.
func addCompliance(rep *findings.Report, all, sel []*frameworks.Framework) {
	compliance.Annotate(all, rep.Checks, rep.Results)
	for _, fw := range sel {
		rep.Compliance = append(rep.Compliance, compliance.AssessReport(fw, rep))
	}
}

type frameworksOptions struct {
	Format string
	JSON   bool
}

func newFrameworksCmd(streams *term.IO) *cobra.Command {
	o := &frameworksOptions{}
	cmd := &cobra.Command{
		Use:   "frameworks [NAME]",
		Short: "List the compliance frameworks, or one framework's controls and the checks behind them",
		Long: `Without an argument, list the compliance frameworks lockdown judges (CIS AWS
Foundations, AWS Security Hub) with their versions and how many of their
controls are automated and how many manual.

With a framework name (any case), list its controls in order: level,
automated or manual, and the checks that decide each automated control or
the reason a manual one cannot be decided from the account's data. This is
the mapping only; ` + "`lockdown audit --framework NAME`" + ` gives each control's status.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(_ *cobra.Command, args []string) error { return runFrameworks(o, streams, args) },
	}
	fs := cmd.Flags()
	fs.StringVarP(&o.Format, "format", "f", "table", "table|json")
	fs.BoolVar(&o.JSON, "json", false, "same as --format json")
	return cmd
}

// frameworkEntry is one framework in `lockdown frameworks --format json`.
type frameworkEntry struct {
	Name    string        `json:"name"`
	Title   string        `json:"title"`
	Version string        `json:"version"`
	Source  string        `json:"source"`
	Counts  controlCounts `json:"counts"`
}

// controlCounts counts a framework's controls: Total = Automated + Manual.
type controlCounts struct {
	Total     int `json:"total"`
	Automated int `json:"automated"`
	Manual    int `json:"manual"`
}

type frameworksListing struct {
	ToolVersion string           `json:"tool_version"`
	Frameworks  []frameworkEntry `json:"frameworks"`
}

// controlEntry is one control in `lockdown frameworks NAME --format json`.
type controlEntry struct {
	ID        string   `json:"id"`
	Title     string   `json:"title"`
	Section   string   `json:"section,omitempty"`
	Level     string   `json:"level,omitempty"`
	Automated bool     `json:"automated"`
	Checks    []string `json:"checks"`
	Reason    string   `json:"reason,omitempty"`
}

type frameworkDetail struct {
	ToolVersion string `json:"tool_version"`
	frameworkEntry
	Controls []controlEntry `json:"controls"`
}

func entryOf(fw *frameworks.Framework) frameworkEntry {
	auto, manual, _ := fw.Counts()
	return frameworkEntry{Name: fw.Name, Title: fw.Title, Version: fw.Version, Source: fw.Source,
		Counts: controlCounts{Total: len(fw.Controls), Automated: auto, Manual: manual}}
}

func runFrameworks(o *frameworksOptions, streams *term.IO, args []string) error {
	if o.JSON {
		o.Format = "json"
	}
	if o.Format != "table" && o.Format != "json" {
		return inputErr("--format %q: expected table or json", o.Format)
	}
	fws, err := allFrameworks()
	if err != nil {
		return err
	}
	if len(args) == 1 {
		fw, ok := findFramework(fws, args[0])
		if !ok {
			return inputErr("%q: unknown framework (known: %s)", args[0], strings.Join(frameworkNames(fws), ", "))
		}
		return asRuntime(printFramework(streams.Out, o.Format, fw))
	}
	entries := make([]frameworkEntry, len(fws))
	for i, fw := range fws {
		entries[i] = entryOf(fw)
	}
	if o.Format == "json" {
		return asRuntime(writeJSON(streams.Out, frameworksListing{ToolVersion: Version, Frameworks: entries}))
	}
	tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVERSION\tCONTROLS\tAUTOMATED\tMANUAL\tTITLE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\n", inert(e.Name), inert(e.Version), e.Counts.Total, e.Counts.Automated, e.Counts.Manual, inert(e.Title))
	}
	if err := tw.Flush(); err != nil {
		return asRuntime(err)
	}
	_, err = fmt.Fprintf(streams.Out, "\nList a framework's controls with `lockdown frameworks NAME`; judge them with `lockdown audit --framework NAME`.\n")
	return asRuntime(err)
}

func printFramework(w io.Writer, format string, fw *frameworks.Framework) error {
	d := frameworkDetail{ToolVersion: Version, frameworkEntry: entryOf(fw), Controls: make([]controlEntry, 0, len(fw.Controls))}
	for _, c := range fw.Controls {
		d.Controls = append(d.Controls, controlEntry{
			ID: c.ID, Title: c.Title, Section: c.Section, Level: c.Level, Automated: c.Automated,
			Checks: append([]string{}, c.Checks...), Reason: c.Reason,
		})
	}
	if format == "json" {
		return writeJSON(w, d)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s  %s %s\n", inert(fw.Name), inert(fw.Title), inert(fw.Version))
	fmt.Fprintf(&b, "Source: %s\n", inert(fw.Source))
	fmt.Fprintf(&b, "Controls: %d (%d automated, %d manual)\n\n", d.Counts.Total, d.Counts.Automated, d.Counts.Manual)
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLEVEL\tTYPE\tCHECKS\tTITLE")
	var manual []controlEntry
	for _, c := range d.Controls {
		kind, decided := "automated", strings.Join(c.Checks, ", ")
		if !c.Automated {
			kind, decided = "manual", "-"
			manual = append(manual, c)
		}
		level := c.Level
		if level == "" {
			level = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", inert(c.ID), inert(level), kind, inert(decided), inert(c.Title))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(manual) > 0 {
		b.WriteString("\nWhy the manual controls cannot be automated from a member account:\n")
		for _, c := range manual {
			fmt.Fprintf(&b, "\n%s\n", inert(c.ID))
			for _, line := range wrapWords(inert(c.Reason), 76) {
				fmt.Fprintf(&b, "  %s\n", line)
			}
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// wrapWords breaks text into lines of at most width bytes where it can
// (a longer word stays whole on its own line).
func wrapWords(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		if line != "" && len(line)+1+len(word) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += word
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}
