package oauth_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/pkg/browser"

	"dealbooks/integrations/oauth"
)

// How main or the UI wires a QuickBooks connection. store is app/secrets' Store, from
// secrets.Open; the client comes from secrets.LoadClient.
func Example() {
	var store oauth.SecretStore
	ctx := context.Background()
	cfg := oauth.Config{
		Endpoint:     oauth.QuickBooks(""), // or the fake's base URL
		ClientID:     "client ID from Settings",
		ClientSecret: "client secret from Settings",
		RedirectURL:  "http://localhost:53682/callback", // exactly as registered
	}
	tokens := oauth.NewTokenSource(ctx, cfg, store, "quickbooks.token")

	// Connect button (on a goroutine; cancelling ctx is the Cancel button).
	flow := &oauth.Flow{Config: cfg, OpenURL: browser.OpenURL}
	tok, err := flow.Connect(ctx)
	if err != nil {
		fmt.Println(err) // ErrDenied, ErrStateMismatch, ErrTimeout, *ProviderError …
		return
	}
	if err := tokens.Save(ctx, tok); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("company", tok.Extra("realmId"))

	// Later, the API client calls tokens.Token() and, on a 401, tokens.ForceRefresh(ctx).
	if _, err := tokens.Token(); errors.As(err, new(*oauth.ReconnectError)) {
		fmt.Println(err) // back to the Connect button
	}

	// Disconnect button.
	if err := tokens.Disconnect(ctx); err != nil {
		fmt.Println(err)
	}
}
