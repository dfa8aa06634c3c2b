// Command lockdown audits an AWS account against the guide "Securely
// configuring your AWS account" and reports what is and is not locked down.
package main

import (
	"os"

	"github.com/lockdown-dev/lockdown/internal/cli"
	"github.com/lockdown-dev/lockdown/internal/term"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], term.System()))
}
