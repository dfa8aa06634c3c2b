package cli

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/lockdown-dev/lockdown/internal/engine"
	"github.com/lockdown-dev/lockdown/internal/term"
)

func newChecksCmd(streams *term.IO) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "checks",
		Short: "List the checks lockdown evaluates",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			eng, err := engine.New(engine.Options{})
			if err != nil {
				return asRuntime(err)
			}
			checks := eng.Checks()
			if asJSON {
				enc := json.NewEncoder(streams.Out)
				enc.SetIndent("", "  ")
				return asRuntime(enc.Encode(checks))
			}
			tw := tabwriter.NewWriter(streams.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tSECTION\tTITLE")
			for _, c := range checks {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.ID, c.Severity, c.Section, c.Title)
			}
			return asRuntime(tw.Flush())
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the checks' metadata as JSON")
	return cmd
}
