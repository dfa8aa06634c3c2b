// Command mkdeploy writes the audit role's deployment files from the one
// least-privilege policy, policies/lockdown-audit-policy.json, so that the
// CloudFormation StackSet template and the Terraform module grant exactly
// what the collectors call:
//
//	deploy/cloudformation/lockdown-audit-role.yaml   (the policy inline, as YAML)
//	deploy/terraform/lockdown-audit-role/lockdown-audit-policy.json (a copy)
//
// Run it from the repository root after changing the policy:
//
//	go run ./tools/mkdeploy
//
// deploy's tests fail while the files disagree with the policy.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/lockdown-dev/lockdown/deploy"
)

func main() {
	root := flag.String("root", ".", "repository root")
	flag.Parse()
	if err := run(*root); err != nil {
		fmt.Fprintln(os.Stderr, "mkdeploy:", err)
		os.Exit(1)
	}
}

func run(root string) error {
	policy, err := os.ReadFile(filepath.Join(root, deploy.PolicyPath))
	if err != nil {
		return err
	}
	tmpl, err := deploy.CloudFormationTemplate(policy)
	if err != nil {
		return fmt.Errorf("%s: %w", deploy.PolicyPath, err)
	}
	if err := os.WriteFile(filepath.Join(root, deploy.CloudFormationPath), tmpl, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, deploy.TerraformPolicyPath), policy, 0o644)
}
