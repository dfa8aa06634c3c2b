// Package rego holds the shared Rego libraries that checks import
// (data.lockdown.lib.*). The engine loads them from FS; their tests sit
// beside them and run under go test.
package rego

import "embed"

// FS holds every .rego file under lib/, tests included (the engine skips
// *_test.rego when it compiles the checks).
//
//go:embed lib/*.rego
var FS embed.FS
