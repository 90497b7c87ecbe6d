// Package assets embeds the files Dealbooks ships inside its binary: the icon and the translations.
package assets

import "embed"

// IconPNG is the 512×512 application icon, drawn by ./internal/genicon.
//
//go:embed icon.png
var IconPNG []byte

// Translations holds one JSON file per language (en.json, nl.json) under "translations/",
// in the format fyne.io/fyne/v2/lang reads.
//
//go:embed translations
var Translations embed.FS
