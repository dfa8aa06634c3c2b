package collect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/service/account"
	accounttypes "github.com/aws/aws-sdk-go-v2/service/account/types"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

const getAlternateContact = "account:GetAlternateContact"

// securityContact: account:GetAlternateContact for the SECURITY contact of
// the caller's own account. ResourceNotFoundException means none is
// registered: a complete answer, so status ok with a nil contact. The
// contact's name, e-mail address and phone number go into the snapshot
// only, never into a note, an error or a log line.
func (c *collector) securityContact(ctx context.Context, r *run) error {
	out, err := c.account.GetAlternateContact(ctx, &account.GetAlternateContactInput{
		AlternateContactType: accounttypes.AlternateContactTypeSecurity,
	})
	if err != nil {
		if errorCode(err) == "ResourceNotFoundException" {
			r.note = "no security alternate contact is registered for the account"
			return nil
		}
		return err
	}
	ac := out.AlternateContact
	if ac == nil {
		return newActionError(getAlternateContact, "MalformedResponse", "GetAlternateContact returned no AlternateContact element")
	}
	typ := string(ac.AlternateContactType)
	if typ == "" {
		typ = string(accounttypes.AlternateContactTypeSecurity)
	}
	if typ != string(accounttypes.AlternateContactTypeSecurity) {
		return newActionError(getAlternateContact, "MalformedResponse", "GetAlternateContact returned a contact of another type (%q) than the SECURITY one asked for", typ)
	}
	c.snap.SecurityContact = &snapshot.AlternateContact{
		Type:  typ,
		Name:  str(ac.Name),
		Title: str(ac.Title),
		Email: str(ac.EmailAddress),
		Phone: str(ac.PhoneNumber),
	}
	return nil
}
