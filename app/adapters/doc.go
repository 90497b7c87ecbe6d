// Package adapters implements the invoicing ports over the Pipedrive and QuickBooks API clients.
package adapters
