package accounts

import (
	"context"
	"errors"
	"fmt"
	"time"

	"dealbooks/app/invoicing"
)

// Setting keys of the kept pair: the ids and names of the last account pair whose offline copies the rep
// kept at disconnect, and when. Names and ids only, never a secret.
const (
	keyKeptPipedriveCompany = "kept.pipedrive_company_id"
	keyKeptPipedriveAccount = "kept.pipedrive_account"
	keyKeptQuickBooksRealm  = "kept.quickbooks_realm"
	keyKeptQuickBooksName   = "kept.quickbooks_company"
	keyKeptAt               = "kept.at"
)

var keptKeys = []string{keyKeptPipedriveCompany, keyKeptPipedriveAccount, keyKeptQuickBooksRealm, keyKeptQuickBooksName, keyKeptAt}

var _ invoicing.KeptAccounts = (*Manager)(nil)

// recordKept records the pair in state as the kept pair, so its offline copies stay readable once either
// account is gone.
func (p *Manager) recordKept(ctx context.Context, state invoicing.AccountsState, pair invoicing.AccountPair, at time.Time) error {
	values := map[string]string{
		keyKeptPipedriveCompany: pair.PipedriveCompany,
		keyKeptPipedriveAccount: state.Pipedrive.Account,
		keyKeptQuickBooksRealm:  pair.QuickBooksRealm,
		keyKeptQuickBooksName:   state.QuickBooks.Account,
		keyKeptAt:               at.UTC().Format(time.RFC3339),
	}
	for _, key := range keptKeys {
		if err := p.opts.Settings.SetSetting(ctx, key, values[key]); err != nil {
			return fmt.Errorf("accounts: remember the kept offline copies: %w", err)
		}
	}
	return nil
}

// forgetKept removes the kept pair's record.
func (p *Manager) forgetKept(ctx context.Context) error {
	for _, key := range keptKeys {
		if err := p.opts.Settings.DeleteSetting(ctx, key); err != nil {
			return fmt.Errorf("accounts: forget the kept offline copies: %w", err)
		}
	}
	return nil
}

// kept reads the kept pair's record; ok is false when none is kept.
func (p *Manager) kept(ctx context.Context) (k invoicing.KeptCopies, ok bool, err error) {
	values := map[string]string{}
	for _, key := range keptKeys {
		v, _, err := p.opts.Settings.Setting(ctx, key)
		if err != nil {
			return invoicing.KeptCopies{}, false, fmt.Errorf("accounts: read %s: %w", key, err)
		}
		values[key] = v
	}
	if values[keyKeptPipedriveCompany] == "" || values[keyKeptQuickBooksRealm] == "" {
		return invoicing.KeptCopies{}, false, nil
	}
	k = invoicing.KeptCopies{
		Pair:       invoicing.AccountPair{PipedriveCompany: values[keyKeptPipedriveCompany], QuickBooksRealm: values[keyKeptQuickBooksRealm]},
		Pipedrive:  values[keyKeptPipedriveAccount],
		QuickBooks: values[keyKeptQuickBooksName],
	}
	k.KeptAt, _ = time.Parse(time.RFC3339, values[keyKeptAt]) // a damaged time only loses the age
	return k, true, nil
}

// KeptService opens the kept offline copies read-only: their deals and invoices list as they were, anything
// needing Pipedrive or QuickBooks answers invoicing.ErrOffline, and nothing can be queued. ok is false when
// no copies are kept.
func (p *Manager) KeptService(ctx context.Context) (*invoicing.Service, invoicing.KeptCopies, bool, error) {
	k, ok, err := p.kept(ctx)
	if err != nil || !ok {
		return nil, invoicing.KeptCopies{}, false, err
	}
	if p.opts.Repository == nil {
		return nil, invoicing.KeptCopies{}, false, errors.New("accounts: no offline store to read the kept copies from")
	}
	repo, err := p.opts.Repository(ctx, k.Pair)
	if err != nil {
		return nil, invoicing.KeptCopies{}, false, fmt.Errorf("accounts: open the kept offline copies of %s and %s: %w", k.Pipedrive, k.QuickBooks, err)
	}
	svc := invoicing.NewService(invoicing.Config{
		CRM:        disconnected{},
		Accounting: disconnected{},
		Repository: readOnly{repo},
		Files:      p.opts.Files,
	})
	return svc, k, true, nil
}

// DeleteKept deletes the kept offline copies and their record. While invoices of the pair still wait to be
// sent it refuses with an error wrapping invoicing.ErrUnsentInvoices and keeps them.
func (p *Manager) DeleteKept(ctx context.Context) error {
	k, ok, err := p.kept(ctx)
	if err != nil || !ok {
		return err
	}
	state, err := p.State(ctx)
	if err != nil {
		return err
	}
	if state.Kept == nil {
		// The same accounts are connected again: the copies are theirs, in use, not kept.
		return p.forgetKept(ctx)
	}
	if p.opts.ForgetHistory != nil {
		if err := p.opts.ForgetHistory(ctx, k.Pair); err != nil {
			return fmt.Errorf("accounts: delete the kept offline copies: %w", err)
		}
	}
	p.opts.Log.Info("kept offline copies deleted")
	return p.forgetKept(ctx)
}

// readOnly is a kept pair's store, refusing what would queue an invoice or keep a draft.
type readOnly struct{ invoicing.Repository }

func (readOnly) Enqueue(context.Context, invoicing.OutboxEntry) (invoicing.OutboxEntry, error) {
	return invoicing.OutboxEntry{}, invoicing.ErrReadOnly
}

func (readOnly) SaveDraft(context.Context, invoicing.Draft) error { return invoicing.ErrReadOnly }
