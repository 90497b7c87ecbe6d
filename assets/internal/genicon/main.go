// Command genicon draws the Dealbooks icon, assets/icon.png: run `go run ./assets/internal/genicon` at the root.
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const (
	size    = 512
	samples = 4 // supersampling per axis, for smooth edges
)

type rgba struct{ r, g, b, a float64 }

var (
	tileTop    = rgba{0.14, 0.45, 0.92, 1}
	tileBottom = rgba{0.09, 0.29, 0.70, 1}
	paper      = rgba{1, 1, 1, 1}
	fold       = rgba{0.78, 0.86, 0.97, 1}
	ink        = rgba{0.55, 0.66, 0.84, 1}
	badge      = rgba{0.16, 0.63, 0.27, 1}
)

// main draws the icon from shapes rather than a font, so it stays sharp at every size and needs no artwork
// files: a white invoice on a blue tile with a green tick.
func main() {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			var sum rgba
			for sy := 0; sy < samples; sy++ {
				for sx := 0; sx < samples; sx++ {
					px := float64(x) + (float64(sx)+0.5)/samples
					py := float64(y) + (float64(sy)+0.5)/samples
					c := shade(px, py)
					sum.r += c.r * c.a
					sum.g += c.g * c.a
					sum.b += c.b * c.a
					sum.a += c.a
				}
			}
			n := float64(samples * samples)
			if sum.a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{
				R: uint8(math.Round(sum.r / sum.a * 255)),
				G: uint8(math.Round(sum.g / sum.a * 255)),
				B: uint8(math.Round(sum.b / sum.a * 255)),
				A: uint8(math.Round(sum.a / n * 255)),
			})
		}
	}
	f, err := os.Create("assets/icon.png")
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// shade returns the colour at one sample point, painting the shapes from back to front.
func shade(x, y float64) rgba {
	c := rgba{}
	if roundedRect(x, y, 16, 16, 496, 496, 100) {
		t := (y - 16) / 480
		c = mix(tileTop, tileBottom, t)
	}
	// The invoice: a page with its top-right corner folded over.
	const left, top, right, bottom, corner = 124.0, 76.0, 372.0, 436.0, 78.0
	if x >= left && x <= right && y >= top && y <= bottom && (right-x)+(y-top) >= corner {
		c = paper
		if x >= right-corner && y <= top+corner {
			c = fold
		}
	}
	for i, width := range []float64{170, 170, 110} {
		row := 190 + float64(i)*62
		if capsule(x, y, 164, row, 164+width, row, 13) {
			c = ink
		}
	}
	// The tick badge, ringed in white so it reads against both the page and the tile.
	const bx, by = 356.0, 372.0
	if dist(x, y, bx, by) <= 112 {
		c = paper
	}
	if dist(x, y, bx, by) <= 94 {
		c = badge
	}
	if capsule(x, y, 310, 374, 342, 408, 17) || capsule(x, y, 342, 408, 404, 338, 17) {
		c = paper
	}
	return c
}

func mix(a, b rgba, t float64) rgba {
	return rgba{a.r + (b.r-a.r)*t, a.g + (b.g-a.g)*t, a.b + (b.b-a.b)*t, 1}
}

func dist(x, y, cx, cy float64) float64 { return math.Hypot(x-cx, y-cy) }

func roundedRect(x, y, x0, y0, x1, y1, r float64) bool {
	if x < x0 || x > x1 || y < y0 || y > y1 {
		return false
	}
	cx := math.Max(x0+r, math.Min(x, x1-r))
	cy := math.Max(y0+r, math.Min(y, y1-r))
	return dist(x, y, cx, cy) <= r
}

// capsule reports whether (x, y) lies within r of the segment from (x0, y0) to (x1, y1).
func capsule(x, y, x0, y0, x1, y1, r float64) bool {
	dx, dy := x1-x0, y1-y0
	t := ((x-x0)*dx + (y-y0)*dy) / (dx*dx + dy*dy)
	t = math.Max(0, math.Min(1, t))
	return dist(x, y, x0+t*dx, y0+t*dy) <= r
}
