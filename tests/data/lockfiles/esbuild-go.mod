module github.com/evanw/esbuild

go 1.13

require golang.org/x/sys v0.0.0-20210908233432-aa78b53d3365
