package accountstest

import (
	"context"

	"dealbooks/app/invoicing"
	"dealbooks/app/store"
)

// StoreRepository opens a pair's offline store in db, as package main wires accounts.Options.Repository.
func StoreRepository(db *store.Store) func(context.Context, invoicing.AccountPair) (invoicing.Repository, error) {
	return func(ctx context.Context, pair invoicing.AccountPair) (invoicing.Repository, error) {
		return db.Repository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
	}
}

// StoreForgetHistory deletes a pair's offline store from db, as package main wires
// accounts.Options.ForgetHistory.
func StoreForgetHistory(db *store.Store) func(context.Context, invoicing.AccountPair) error {
	return func(ctx context.Context, pair invoicing.AccountPair) error {
		return db.DeleteRepository(ctx, pair.PipedriveCompany, pair.QuickBooksRealm)
	}
}
