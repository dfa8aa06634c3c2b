package facts

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/privesc"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// buildEscalation finds every principal's shortest privilege-escalation
// path (internal/privesc) from the policy engine's verdicts and the
// inventory the snapshot has: EC2 instances and their instance profiles,
// Lambda functions and their roles, users' credentials (credential
// report). Where an inventory is missing, paths through it are possible,
// naming it, never absent. Nothing is built when the policies are not
// usable (the check is then NOT_ASSESSED on authorization_details).
func (f *Facts) buildEscalation(snap *snapshot.Snapshot) {
	if f.Access == nil || f.IAM == nil {
		return
	}
	res, err := privesc.Analyze(f.Access, f.IAM, privesc.Options{Now: snap.CollectedAt, Inventory: f.escalationInventory(snap)})
	if err != nil {
		f.markMalformed(snapshot.SourceAuthorizationDetails, err)
		return
	}
	f.Escalation = res.Principals
}

func (f *Facts) escalationInventory(snap *snapshot.Snapshot) privesc.Inventory {
	inv := privesc.Inventory{
		Users:            map[string]privesc.UserState{},
		InstanceProfiles: map[string][]string{},
		AdminVersions:    privesc.AdminVersions(snap),
	}
	for i := range snap.Roles {
		r := &snap.Roles[i]
		if len(r.InstanceProfiles) > 0 {
			inv.InstanceProfiles[r.ARN] = append([]string(nil), r.InstanceProfiles...)
		}
	}
	// Instances: the regions facts could read; any region it could not is
	// an unknown.
	inv.InstanceRegions = map[string]bool{}
	if !f.OK(snapshot.SourceEC2Instances) {
		inv.InstancesUnknown = sourceUnknown(f, snapshot.SourceEC2Instances, "EC2 instances")
	} else {
		if len(f.EC2Unknown) > 0 {
			inv.InstancesUnknown = "EC2 instances in " + regionList(f.EC2Unknown) + " (" + snapshot.SourceEC2Instances + " failed there)"
		}
		for r := range f.EC2Instances {
			if f.EC2Unknown[r] == nil {
				inv.InstanceRegions[r] = true
			}
		}
	}
	for _, r := range keysOf(f.EC2Instances) {
		for _, in := range f.EC2Instances[r].Instances {
			if in.InstanceProfileARN == "" || in.State == "terminated" || in.State == "shutting-down" {
				continue
			}
			inv.Instances = append(inv.Instances, privesc.Instance{ARN: in.ARN, Region: in.Region, Profile: in.InstanceProfileARN})
		}
	}
	// Lambda functions: each region's own answer. A region that answered
	// is known; one with an error, or an enabled region without an entry,
	// is not; a source that was not collected, or failed with no region's
	// answer, leaves every region unknown.
	inv.FunctionRegions = map[string]bool{}
	var failed []string
	listed := map[string]bool{}
	for _, lr := range snap.LambdaFunctions {
		listed[lr.Region] = true
		if lr.Error != nil {
			failed = append(failed, lr.Region)
			continue
		}
		inv.FunctionRegions[lr.Region] = true
		for _, fn := range lr.Functions {
			inv.Functions = append(inv.Functions, privesc.Function{ARN: fn.ARN, Role: fn.Role})
		}
	}
	st, collected := f.Sources[snapshot.SourceLambdaFunctions]
	switch {
	case !collected || (st.Status != snapshot.StatusOK && len(inv.FunctionRegions) == 0):
		inv.FunctionsUnknown = sourceUnknown(f, snapshot.SourceLambdaFunctions, "Lambda functions")
		inv.FunctionRegions = map[string]bool{}
	default:
		for _, r := range f.Regions {
			if !listed[r] {
				failed = append(failed, r)
			}
		}
		if f.Regions == nil {
			failed = append(failed, "the regions the region list did not name ("+snapshot.SourceRegions+" is not usable)")
		}
		if len(failed) > 0 {
			sort.Strings(failed)
			inv.FunctionsUnknown = "Lambda functions in " + strings.Join(failed, ", ") + " (" + snapshot.SourceLambdaFunctions + " has no usable answer there)"
		}
	}
	if f.CredentialReport == nil {
		inv.UsersUnknown = sourceUnknown(f, snapshot.SourceCredentialReport, "users' credentials")
	} else {
		for arn, row := range f.CredentialReport.Users {
			keys := 0
			for _, k := range row.AccessKeys {
				if k.Active || k.LastRotated != nil {
					keys++
				}
			}
			mfa := row.MFAActive
			inv.Users[arn] = privesc.UserState{Password: row.PasswordEnabled, MFA: &mfa, AccessKeys: &keys}
		}
	}
	return inv
}

func sourceUnknown(f *Facts, source, what string) string {
	st, ok := f.Sources[source]
	if !ok {
		return fmt.Sprintf("%s (source %s was not collected)", what, source)
	}
	if st.ErrorCode != "" {
		return fmt.Sprintf("%s (source %s failed: %s)", what, source, st.ErrorCode)
	}
	return fmt.Sprintf("%s (source %s is not usable)", what, source)
}

func regionList(m map[string]*RegionUnknown) string {
	return strings.Join(keysOf(m), ", ")
}

func keysOf[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
