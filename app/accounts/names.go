package accounts

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"

	"dealbooks/app/invoicing"
	"dealbooks/integrations/pipedrive"
	"dealbooks/integrations/quickbooks"
)

// RefreshNames reads the connected companies' names again from Pipedrive and QuickBooks, so a company
// renamed at the provider shows its new name, records any that changed, and returns the state. A provider
// that cannot be reached keeps the name last read; its error is returned, joined, with the state.
func (p *Manager) RefreshNames(ctx context.Context) (invoicing.AccountsState, error) {
	state, err := p.State(ctx)
	if err != nil {
		return state, err
	}
	var errs []error
	if state.Pipedrive.Connected {
		if err := p.refreshPipedriveName(ctx, state.Pipedrive); err != nil {
			errs = append(errs, err)
		}
	}
	if state.QuickBooks.Connected {
		if err := p.refreshQuickBooksName(ctx, state.QuickBooks); err != nil {
			errs = append(errs, err)
		}
	}
	// A local read: it still runs when ctx ran out while waiting for a provider.
	state, err = p.State(context.WithoutCancel(ctx))
	return state, errors.Join(append(errs, err)...)
}

func (p *Manager) refreshPipedriveName(ctx context.Context, c invoicing.Connection) error {
	client, err := p.Pipedrive(ctx)
	if err != nil {
		return err
	}
	me, err := client.Me(ctx)
	if err != nil {
		return fmt.Errorf("accounts: read the Pipedrive company's name: %w", err)
	}
	if strconv.FormatInt(me.CompanyID, 10) != c.AccountID {
		return nil // another company answers: the rep reconnects, which records it
	}
	return p.rename(ctx, map[string]string{KeyPipedriveAccount: pipedriveCompanyName(me), KeyPipedriveUser: me.Name},
		map[string]string{KeyPipedriveAccount: c.Account, KeyPipedriveUser: c.User})
}

func (p *Manager) refreshQuickBooksName(ctx context.Context, c invoicing.Connection) error {
	client, err := p.QuickBooks(ctx)
	if err != nil {
		return err
	}
	info, err := client.CompanyInfo(ctx)
	if err != nil {
		return fmt.Errorf("accounts: read the QuickBooks company's name: %w", err)
	}
	return p.rename(ctx, map[string]string{KeyQuickBooksCompany: quickBooksCompanyName(info)}, map[string]string{KeyQuickBooksCompany: c.Account})
}

// rename records the non-empty values that differ from was.
func (p *Manager) rename(ctx context.Context, now, was map[string]string) error {
	for key, v := range now {
		if v == "" || v == was[key] {
			continue
		}
		if err := p.opts.Settings.SetSetting(ctx, key, v); err != nil {
			return fmt.Errorf("accounts: record the new name: %w", err)
		}
		p.opts.Log.Info("account renamed", "setting", key)
	}
	return nil
}

// pipedriveCompanyName is the name a Pipedrive company shows under: its name, else its domain.
func pipedriveCompanyName(me pipedrive.User) string {
	return cmp.Or(me.CompanyName, me.CompanyDomain)
}

// quickBooksCompanyName is the name a QuickBooks company shows under: its company name, else its legal name.
func quickBooksCompanyName(info *quickbooks.CompanyInfo) string {
	return cmp.Or(info.CompanyName, info.LegalName)
}
