package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const listOrganizationsFeatures = "iam:ListOrganizationsFeatures"

// organizationsNotAssessable are the errors with which
// iam:ListOrganizationsFeatures says the account cannot tell whether
// centralised root access is enabled, and why. They stay errors (the
// checks say NOT_ASSESSED), with a note a reader can act on.
var organizationsNotAssessable = map[string]string{
	"AccountNotManagementOrDelegatedAdministratorException": "centralised root access can only be read from the organization's management account or the delegated administrator for IAM; audit that account to assess it",
	"ServiceAccessNotEnabledException":                      "trusted access for IAM is not enabled in AWS Organizations, so centralised root access cannot be read (nor be enabled until trusted access is)",
	"OrganizationNotInAllFeaturesModeException":             "the organization does not have all features enabled, which centralised root access requires, so it cannot be read",
}

// organizationsFeatures: iam:ListOrganizationsFeatures, the centralised
// root access features of the account's organization.
//
// An account in no organization (OrganizationNotFoundException) has no
// centralised root access to manage: that is a complete answer, recorded
// as status ok with no features and a note saying so; the checks decide
// what it means. An organization that enables no feature is recorded with
// an empty feature list.
func (c *collector) organizationsFeatures(ctx context.Context, r *run) error {
	if v := c.opts.OrgView; v != nil && (v.Features != nil || v.FeaturesErr != nil) {
		r.note = "read once from the organization's management account (or delegated administrator) by the organisation audit"
		if e := v.FeaturesErr; e != nil {
			if why, ok := organizationsNotAssessable[e.Code]; ok {
				r.note = why
			}
			return &sourceError{code: e.Code, msg: e.Message, action: listOrganizationsFeatures}
		}
		f := *v.Features
		f.EnabledFeatures = append([]string{}, v.Features.EnabledFeatures...)
		c.snap.OrganizationsFeatures = &f
		return nil
	}
	out, err := c.iam.ListOrganizationsFeatures(ctx, &iam.ListOrganizationsFeaturesInput{})
	if err != nil {
		code := errorCode(err)
		if code == "OrganizationNotFoundException" {
			r.note = "the account is in no AWS Organizations organization (OrganizationNotFoundException): centralised root access does not apply"
			return nil
		}
		if why, ok := organizationsNotAssessable[code]; ok {
			// The reason travels with the error, which is what a
			// NOT_ASSESSED result quotes.
			r.note = why
			return &sourceError{code: code, msg: classify(err).Message + " (" + why + ")", action: listOrganizationsFeatures}
		}
		return err
	}
	f := &snapshot.OrganizationsFeatures{OrganizationID: str(out.OrganizationId), EnabledFeatures: []string{}}
	for _, feat := range out.EnabledFeatures {
		if feat != "" {
			f.EnabledFeatures = append(f.EnabledFeatures, string(feat))
		}
	}
	c.snap.OrganizationsFeatures = f
	return nil
}
