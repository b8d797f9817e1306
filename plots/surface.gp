# surface.gp: one configuration's state values as surfaces over the grid, as Zhao's Fig 8.8
# draws them: the exact values on the left, the learner's estimate (replicate 0) on the
# right, on one z scale, so what a few features can and cannot represent shows at a glance.
#
#   gnuplot -e "dir='results/x'" plots/surface.gp          (after gridrl plot wrote the data)
#   gnuplot -e "dir='results/x'; config=5; term='svg'" plots/surface.gp
#
# Reads DIR/configs.csv and DIR/plots/surface_CONFIG.csv, which `gridrl plot` writes: row,
# col, estimate, truth for every cell (walls empty; the truth empty when the experiment's
# config could not be rebuilt to compute it).
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   config  the configuration to draw (default 0)
#   label   what the configuration is (default: from configs.csv), and title, the
#           experiment (default none): the picture's title
#   data    the surface file (default DIR/plots/surface_CONFIG.csv)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default DIR/plots/surface_CONFIG.png, .svg or .pdf)

if (!exists("dir")) exit error "surface.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" surface.gp"
if (!exists("config")) config = 0
if (!exists("data")) data = sprintf('%s/plots/surface_%d.csv', dir, config)
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) out = sprintf('%s/plots/surface_%d.%s', dir, config, extension)

reset
set datafile separator comma
set datafile nocolumnheaders

# The configuration's label from configs.csv: "algorithm, key = value, ...".
stats dir.'/configs.csv' every ::0::0 using (0) nooutput
n_columns = STATS_columns
array header[n_columns]
stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
found = ''
stats dir.'/configs.csv' every ::1 using (int($1) == config ? (found = strcol(2), \
      sum [i=3:n_columns] (found = found.', '.header[i].' = '.strcol(i), 0)) : 0) nooutput
if (found eq '') exit error sprintf("surface.gp: no configuration %d in %s/configs.csv", config, dir)
if (!exists("label")) label = found
heading = exists("title") && title ne '' ? title."\n".label : label

set datafile columnheaders
stats data using 2:1 nooutput
cols = int(STATS_max_x) + 1
rows = int(STATS_max_y) + 1
# One z range for both panels (column(n), not $n: empty fields stay out of the stats).
zmin = 1e308
zmax = -1e308
stats data using (valid(3) ? (z = column(3), zmin = z < zmin ? z : zmin, zmax = z > zmax ? z : zmax) : 0) nooutput
stats data using (valid(4) ? (z = column(4), zmin = z < zmin ? z : zmin, zmax = z > zmax ? z : zmax) : 0) nooutput
has_truth = 0
stats data using (valid(4) ? 1 : 0) nooutput
has_truth = STATS_sum > 0
if (zmin > zmax) { zmin = 0; zmax = 1 }
if (zmin == zmax) { zmax = zmin + 1 }

width = has_truth ? 1200 : 650
height = 520
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',10' enhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',10' enhanced", term, width, height)
}
set output out

set xrange [-0.5:cols - 0.5]
set yrange [rows - 0.5:-0.5]   # row 0 at the back, as the grid is drawn from the top
set zrange [zmin:zmax]
set cbrange [zmin:zmax]
set xlabel 'column'
set ylabel 'row'
set zlabel 'value' rotate
set view 60, 40, 1, 0.7
set pm3d depthorder border lc rgb '#404040' lw 0.5
set palette defined (0 '#2c7bb6', 0.5 '#ffffbf', 1 '#d7191c')
set ticslevel 0
unset key
set xtics 1 offset 0, -0.5
set ytics 1
if (cols > 12) { set xtics 5 }
if (rows > 12) { set ytics 5 }

if (has_truth) {
    set multiplot layout 1, 2 title heading noenhanced
    set title 'exact values'
    splot data using 2:1:4 with pm3d
    set title 'estimate (replicate 0)'
    splot data using 2:1:3 with pm3d
    unset multiplot
} else {
    set title label.' (estimate, replicate 0)' noenhanced
    splot data using 2:1:3 with pm3d
}
