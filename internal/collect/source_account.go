package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/iam/types"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// accountSummary: iam:GetAccountSummary -> SummaryMap.
func (c *collector) accountSummary(ctx context.Context, r *run) error {
	out, err := c.iam.GetAccountSummary(ctx, &iam.GetAccountSummaryInput{})
	if err != nil {
		return err
	}
	m := make(map[string]int64, len(out.SummaryMap))
	for k, v := range out.SummaryMap {
		m[k] = int64(v)
	}
	c.snap.AccountSummary = m
	return nil
}

// passwordPolicy: iam:GetAccountPasswordPolicy. NoSuchEntity means the
// account has no custom policy: a complete answer, so status ok with a nil
// policy.
func (c *collector) passwordPolicy(ctx context.Context, r *run) error {
	out, err := c.iam.GetAccountPasswordPolicy(ctx, &iam.GetAccountPasswordPolicyInput{})
	if err != nil {
		if errorCode(err) == "NoSuchEntity" {
			r.note = "no password policy set: the account uses the IAM default password rules"
			return nil
		}
		return err
	}
	p := out.PasswordPolicy
	if p == nil {
		return newActionError("iam:GetAccountPasswordPolicy", "MalformedResponse", "GetAccountPasswordPolicy returned no PasswordPolicy element")
	}
	c.snap.PasswordPolicy = &snapshot.PasswordPolicy{
		MinimumPasswordLength:      p.MinimumPasswordLength,
		RequireSymbols:             p.RequireSymbols,
		RequireNumbers:             p.RequireNumbers,
		RequireUppercaseCharacters: p.RequireUppercaseCharacters,
		RequireLowercaseCharacters: p.RequireLowercaseCharacters,
		AllowUsersToChangePassword: p.AllowUsersToChangePassword,
		ExpirePasswords:            p.ExpirePasswords,
		MaxPasswordAge:             p.MaxPasswordAge,
		PasswordReusePrevention:    p.PasswordReusePrevention,
		HardExpiry:                 p.HardExpiry,
	}
	return nil
}

// accountAliases: iam:ListAccountAliases, every page.
func (c *collector) accountAliases(ctx context.Context, r *run) error {
	var aliases []string
	// An account has at most one alias.
	err := paginate(ctx, "ListAccountAliases", c.bound(1), func(ctx context.Context, marker *string) (*string, bool, int, error) {
		out, err := c.iam.ListAccountAliases(ctx, &iam.ListAccountAliasesInput{Marker: marker, MaxItems: aws.Int32(1000)})
		if err != nil {
			return nil, false, 0, err
		}
		aliases = append(aliases, out.AccountAliases...)
		return out.Marker, out.IsTruncated, len(out.AccountAliases), nil
	})
	c.snap.Account.Aliases = aliases
	if err != nil && len(aliases) > 0 {
		r.partial.Store(true)
	}
	return err
}

// virtualMFADevices: iam:ListVirtualMFADevices (assigned and unassigned),
// every page. The seed and QR code are never copied.
func (c *collector) virtualMFADevices(ctx context.Context, r *run) error {
	devices := []snapshot.VirtualMFADevice{}
	// MFADevices counts the account's MFA devices; Users bounds the
	// assigned ones should it leave some virtual devices out.
	err := paginate(ctx, "ListVirtualMFADevices", c.bound(noSummaryCount, "MFADevices", "Users"), func(ctx context.Context, marker *string) (*string, bool, int, error) {
		out, err := c.iam.ListVirtualMFADevices(ctx, &iam.ListVirtualMFADevicesInput{
			AssignmentStatus: types.AssignmentStatusTypeAny,
			Marker:           marker,
			MaxItems:         aws.Int32(1000),
		})
		if err != nil {
			return nil, false, 0, err
		}
		for _, d := range out.VirtualMFADevices {
			v := snapshot.VirtualMFADevice{SerialNumber: str(d.SerialNumber), EnableDate: utcPtr(d.EnableDate)}
			if d.User != nil {
				v.UserARN = str(d.User.Arn)
				v.UserName = str(d.User.UserName)
			}
			devices = append(devices, v)
		}
		return out.Marker, out.IsTruncated, len(out.VirtualMFADevices), nil
	})
	if len(devices) > 0 {
		c.snap.VirtualMFADevices = devices
	}
	if err != nil && len(devices) > 0 {
		r.partial.Store(true)
	}
	return err
}
