// Package e2e tests the window end to end: the Fyne UI over the real Service, SQLite store and connectors, against the in-process Pipedrive and QuickBooks fakes.
package e2e
