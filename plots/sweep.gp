# sweep.gp: a summary of each configuration (say, the mean return over the first 100
# episodes) against a swept parameter, one line per algorithm (and per value of any other
# swept key), with the 95% interval across runs as a band: Sutton & Barto's Figure 6.3
# (interim and asymptotic performance of Sarsa, Expected Sarsa and Q-learning against alpha).
#
#   gridrl plot results/x --what sweep        (writes DIR/plots/sweep_return.csv, then this)
#   gnuplot -e "dir='results/x'" plots/sweep.gp
#
# Reads DIR/configs.csv (the lines' labels) and DIR/plots/sweep_METRIC.csv, which
# `gridrl plot` computes from episodes.csv: one row per configuration with columns line (0,
# 1, ...: the curve it belongs to), key (the swept parameter on the x axis), x (its value, or
# its position when the values are not numbers), xtic (then the value as written, else
# empty), config, runs,
# mean, ci95_low, ci95_high (a t-interval across the runs' own means) and summary (what mean
# is, e.g. "mean return over the first 100 episodes").
#
# Variables (-e "name=value; ..."):
#   dir     the results directory (required)
#   metric  'return' (default), 'length' or 'value_rmse': which sweep_METRIC.csv
#   data    the data file (default DIR/plots/sweep_METRIC.csv)
#   ymin, ymax  the range of the y axis (default: automatic)
#   term    pngcairo (default), svg or pdfcairo
#   out     the picture (default DIR/plots/sweep_METRIC.png, .svg or .pdf)

if (!exists("dir")) exit error "sweep.gp: set dir, e.g. gnuplot -e \"dir='results/x'\" sweep.gp"
if (!exists("metric")) metric = 'return'
if (!exists("data")) data = sprintf('%s/plots/sweep_%s.csv', dir, metric)
if (!exists("term")) term = 'pngcairo'
extension = term eq 'svg' ? 'svg' : term eq 'pdfcairo' ? 'pdf' : 'png'
if (!exists("out")) out = sprintf('%s/plots/sweep_%s.%s', dir, metric, extension)

reset
set datafile separator comma
set datafile columnheaders

stats data using 6 nooutput
runs = int(STATS_max)
stats data using 1 nooutput
n_lines = int(STATS_max) + 1
array first_config[n_lines]
key = ''
what = ''
array has_band[n_lines]
do for [l=1:n_lines] { has_band[l] = 0 }
categorical = 0
stats data using (l = int($1) + 1, first_config[l] = $5, key = strcol(2), what = strcol(10), \
      has_band[l] = has_band[l] || valid(8), categorical = categorical || strcol(4) ne '', 0) \
      nooutput
stats data using 3 nooutput
# Values spread over two or more decades (step sizes 0.001 ... 0.1) go on a log scale.
logx = !categorical && STATS_min > 0 && STATS_max >= 100 * STATS_min
banded = ''
do for [l=1:n_lines] { if (has_band[l]) { banded = banded.sprintf(' %d', l - 1) } }

# A line's label: its configurations' algorithm and swept values but the one on the x axis.
set datafile nocolumnheaders
stats dir.'/configs.csv' every ::0::0 using (0) nooutput
n_columns = STATS_columns
array header[n_columns]
stats dir.'/configs.csv' every ::0::0 using (sum [i=1:n_columns] (header[i] = strcol(i), 0)) nooutput
array label[n_lines]
stats dir.'/configs.csv' every ::1 using (sum [l=1:n_lines] (int($1) == first_config[l] ? \
      (label[l] = strcol(2), sum [i=3:n_columns] (header[i] eq key ? 0 : \
       (label[l] = label[l].', '.header[i].' = '.strcol(i), 0))) : 0)) nooutput
set datafile columnheaders

width = 900
height = 560
if (term eq 'pdfcairo') {
    eval sprintf("set terminal pdfcairo size %g,%g font ',11' noenhanced", width / 72.0, height / 72.0)
} else {
    eval sprintf("set terminal %s size %d,%d font ',11' noenhanced", term, width, height)
}
set output out

# A qualitative palette (Tableau 10), as in the learning curves.
array colour[10] = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', \
                    '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf']
do for [k=1:10] { eval sprintf("set linetype %d lc rgb '%s' lw 1.5 pt 7 ps 0.8", k, colour[k]) }
set linetype cycle 10

set xlabel key
set ylabel what
set title sprintf('mean over %d run%s per configuration%s', runs, runs == 1 ? '' : 's', \
                 banded eq '' ? '' : ', 95% interval shaded')
if (exists("ymin") && exists("ymax")) { set yrange [ymin:ymax] }
if (exists("ymin") && !exists("ymax")) { set yrange [ymin:*] }
if (!exists("ymin") && exists("ymax")) { set yrange [*:ymax] }
set autoscale xfix
set offsets graph 0.03, graph 0.03, 0, 0
set key below
set grid lc rgb '#e0e0e0' lt 1
set border 3
set tics nomirror
set style fill transparent solid 0.2 noborder

mine(l, x) = int($1) == l ? x : NaN
# A line of one run per point has no interval, and no band.
band(i) = int(word(banded, i))
lines = "for [l=0:n_lines - 1] data using 3:(mine(l, $7))".(categorical ? ":xtic(4)" : "") \
        ." with linespoints lc l + 1 title label[l + 1]"
if (logx) { set logscale x }
if (banded eq '') {
    plot @lines
} else {
    plot for [i=1:words(banded)] data using 3:(mine(band(i), $8)):9 with filledcurves \
            lc band(i) + 1 notitle, \
         @lines
}
