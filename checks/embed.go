// Package checks holds lockdown's checks: one Rego package per check under
// data.lockdown.checks, each with a package METADATA block and a _test.rego
// beside it.
package checks

import "embed"

// FS holds every check and its tests, one directory level deep
// (<section>/<check>.rego). A test asserts that no .rego file is left out.
//
//go:embed */*.rego
var FS embed.FS
