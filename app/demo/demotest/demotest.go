// Package demotest opens the demo profile's store and options as package main wires them, for tests.
package demotest

import (
	"context"
	"path/filepath"
	"testing"

	"dealbooks/app/accounts"
	"dealbooks/app/accounts/accountstest"
	"dealbooks/app/adapters"
	"dealbooks/app/secrets"
	"dealbooks/app/store"
)

// OpenStore opens a new store in dir, closed when the test ends.
func OpenStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(dir, "dealbooks.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Options are the demo profile's over the store db in dir, as package main wires them: a secrets file,
// the settings and the pairs' offline stores in db (deleted when a pair's history is forgotten), and a
// PDF folder.
func Options(dir string, db *store.Store) accounts.Options {
	return accounts.Options{
		Secrets: secrets.NewFile(dir), Settings: db,
		Repository:    accountstest.StoreRepository(db),
		ForgetHistory: accountstest.StoreForgetHistory(db),
		Files:         adapters.NewFolder(filepath.Join(dir, "pdf")),
	}
}
