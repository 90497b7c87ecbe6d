// Package demo is the demo workspace: fakes of Pipedrive and QuickBooks seeded with a company, in a folder of its own.
package demo

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"dealbooks/app/accounts"
	"dealbooks/app/invoicing"
	"dealbooks/app/secrets"
	"dealbooks/integrations/pipedrive/pipedrivefake"
	"dealbooks/integrations/quickbooks/qbofake"
)

// Demo is the demo workspace: a fake Pipedrive and a fake QuickBooks serving a seeded company on
// 127.0.0.1, and the profile connected to them through the real sign-in flows.
type Demo struct {
	Accounts   *accounts.Manager
	Pipedrive  *pipedrivefake.Server
	QuickBooks *qbofake.Server
	// Seeded are the invoices the demo QuickBooks holds for deals of the demo Pipedrive company, in
	// every status. The first invoicing service the profile opens shows them in the deals' history.
	Seeded  []SeededInvoice
	servers []*http.Server

	// customerLinks are the customers seeded for the deals' organizations.
	customerLinks []invoicing.CustomerLink
	// deleteLater is the seeded invoice QuickBooks deletes once Dealbooks holds it: only an invoice
	// Dealbooks knew can show as deleted.
	deleteLater string
	// settings are the demo profile's, where fillHistory records that it linked the seeded invoices.
	settings accounts.Settings

	historyMu     sync.Mutex
	historyFilled bool // fillHistory ran in this run
}

// demoCompany is the QuickBooks company the demo opens. It has multicurrency on, so that deals in
// every currency of the demo Pipedrive company (USD, EUR, GBP, SEK) can be invoiced.
const demoCompany = "Northwind Traders (demo)"

// Start starts both fakes, seeded with a realistic company, and returns a profile pointed at them:
// their OAuth pages (the browser shows their Approve and Deny buttons), their APIs and their built-in
// developer apps. opts supplies the demo profile's own secrets and settings, which must not be the
// real profile's; connections left from an earlier demo are forgotten, since the fakes start afresh.
// The first invoicing service the profile opens in this run shows the invoices seeded for the demo's
// deals (Seeded). Close stops the fakes.
func Start(ctx context.Context, opts accounts.Options, now time.Time) (*Demo, error) {
	return start(ctx, opts, now, false)
}

// StartConnected starts the demo for the command line, where no one presses Approve: the fakes approve
// every sign-in at once, and both accounts are connected through the real sign-in flows, with an HTTP client
// following the redirects in place of the browser.
func StartConnected(ctx context.Context, opts accounts.Options, now time.Time) (*Demo, error) {
	opts.OpenURL = followRedirects
	d, err := start(ctx, opts, now, true)
	if err != nil {
		return nil, err
	}
	if _, err := d.Accounts.ConnectPipedrive(ctx); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	if _, err := d.Accounts.ConnectQuickBooks(ctx, false); err != nil {
		return nil, errors.Join(err, d.Close())
	}
	return d, nil
}

// followRedirects plays a browser on pages that redirect at once: it follows them to Dealbooks' listener.
func followRedirects(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func start(ctx context.Context, opts accounts.Options, now time.Time, autoApprove bool) (*Demo, error) {
	data := pipedrivefake.Generate(pipedrivefake.SeedOptions{Seed: 1, Now: now})
	d := &Demo{
		Pipedrive: pipedrivefake.New(pipedrivefake.Options{Dataset: &data, AutoApprove: autoApprove}),
		QuickBooks: qbofake.New(qbofake.Options{
			CompanyName: demoCompany, Country: "US", HomeCurrency: "USD", MultiCurrency: true,
			AutoApprove: autoApprove,
		}),
		settings: opts.Settings,
	}
	if err := d.QuickBooks.SeedDemo(); err != nil {
		return nil, fmt.Errorf("demo: seed the demo QuickBooks: %w", err)
	}
	if err := d.seedDealInvoices(data, now); err != nil {
		return nil, fmt.Errorf("demo: seed the demo QuickBooks: %w", err)
	}
	pipedriveURL, err := d.serve(d.Pipedrive)
	if err != nil {
		return nil, err
	}
	quickbooksURL, err := d.serve(d.QuickBooks)
	if err != nil {
		return nil, errors.Join(err, d.Close())
	}
	opts.Demo = true
	opts.AfterServiceOpened = d.fillHistory
	opts.Endpoints = accounts.Endpoints{
		PipedriveAPI: pipedriveURL, PipedriveOAuth: pipedriveURL,
		QuickBooksAPI: quickbooksURL, QuickBooksOAuth: quickbooksURL,
	}
	opts.BuiltIn = map[invoicing.Provider]secrets.Client{
		invoicing.Pipedrive:  {ID: pipedrivefake.DefaultClientID, Secret: pipedrivefake.DefaultClientSecret},
		invoicing.QuickBooks: {ID: d.QuickBooks.ClientID(), Secret: d.QuickBooks.ClientSecret()},
	}
	d.Accounts = accounts.New(ctx, opts)
	// That run's fakes, and every token they issued, are gone; a saved developer app is dropped too, so
	// the fakes' own apply.
	if err := d.Accounts.Reset(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("demo: forget the earlier demo: %w", err), d.Close())
	}
	return d, nil
}

// serve starts h on a free port of 127.0.0.1 and returns its base URL.
func (d *Demo) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("demo: start the demo server: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	d.servers = append(d.servers, srv)
	go srv.Serve(ln) // returns http.ErrServerClosed on Close
	return "http://" + ln.Addr().String(), nil
}

// Close stops the fakes.
func (d *Demo) Close() error {
	var errs []error
	for _, srv := range d.servers {
		errs = append(errs, srv.Close())
	}
	return errors.Join(errs...)
}
