#!/usr/bin/env bash
# Regenerates the README's gallery (plots/gallery/*.png) from the shipped configs, with the
# commands the README shows under each picture. Run from the repository's top folder after
# building: bash plots/gallery.sh [BUILD_DIR]   (default build)
set -euo pipefail
cd "$(dirname "$0")/.."
gridrl="${1:-build}/gridrl"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
configs=experiments/configs
gallery=plots/gallery
mkdir -p "$gallery"

"$gridrl" run "$configs/zhao_fig3_4a.ini" -o "$out/fig3_4a" -q
"$gridrl" plot "$out/fig3_4a" --what grid
cp "$out/fig3_4a/plots/grid_0.png" "$gallery/zhao_fig3_4a_grid.png"

"$gridrl" run "$configs/sb_example6_6_cliff.ini" -o "$out/cliff" -q
"$gridrl" plot "$out/cliff" --smooth 10 --ymin -100 --ymax 0
cp "$out/cliff/plots/learning_curve_return.png" "$gallery/sb_example6_6_cliff_curves.png"
cp "$out/cliff/plots/grid_1.png" "$gallery/sb_example6_6_cliff_q_learning_grid.png"

"$gridrl" run "$configs/sb_fig6_3_interim.ini" -o "$out/fig6_3" -q
"$gridrl" plot "$out/fig6_3" --what sweep
cp "$out/fig6_3/plots/sweep_return.png" "$gallery/sb_fig6_3_interim_sweep.png"

"$gridrl" run "$configs/zhao_fig7_2_sarsa.ini" -o "$out/fig7_2" -q
"$gridrl" plot "$out/fig7_2" --what curves --metric length
cp "$out/fig7_2/plots/learning_curve_length.png" "$gallery/zhao_fig7_2_sarsa_length.png"

"$gridrl" run "$configs/zhao_fig7_4_offpolicy_q.ini" -o "$out/fig7_4" -q
"$gridrl" plot "$out/fig7_4" --what steps
cp "$out/fig7_4/plots/steps_value_rmse.png" "$gallery/zhao_fig7_4_offpolicy_q_steps.png"

"$gridrl" run "$configs/zhao_fig8_11_dqn.ini" -o "$out/fig8_11" -q
"$gridrl" plot "$out/fig8_11" --what updates
cp "$out/fig8_11/plots/updates_value_rmse.png" "$gallery/zhao_fig8_11_dqn_value_rmse.png"

"$gridrl" run "$configs/zhao_fig3_4a.ini" -s agent.gamma=0.5,0.9,0.99 -o "$out/vi_gamma" -q
"$gridrl" plot "$out/vi_gamma" --what convergence
cp "$out/vi_gamma/plots/convergence.png" "$gallery/zhao_fig3_4a_gamma_convergence.png"

"$gridrl" run "$configs/zhao_fig8_7_td_linear.ini" -o "$out/fig8_7" -q
"$gridrl" plot "$out/fig8_7" --what curves,surface --metric value_rmse
cp "$out/fig8_7/plots/learning_curve_value_rmse.png" "$gallery/zhao_fig8_7_td_linear_rmse.png"
cp "$out/fig8_7/plots/surface_5.png" "$gallery/zhao_fig8_8_surface.png"

"$gridrl" run "$configs/sb_fig8_2_dyna_maze.ini" -o "$out/fig8_2" -q
"$gridrl" plot "$out/fig8_2" --what curves --metric length --ymax 800
cp "$out/fig8_2/plots/learning_curve_length.png" "$gallery/sb_fig8_2_dyna_maze_length.png"

"$gridrl" run "$configs/sb_fig8_4_blocking_maze.ini" -o "$out/fig8_4" -q
"$gridrl" plot "$out/fig8_4" --what steps
cp "$out/fig8_4/plots/steps_cumulative_reward.png" "$gallery/sb_fig8_4_blocking_maze.png"

"$gridrl" run "$configs/sb_fig8_5_shortcut_maze.ini" -o "$out/fig8_5" -q
"$gridrl" plot "$out/fig8_5" --what steps
cp "$out/fig8_5/plots/steps_cumulative_reward.png" "$gallery/sb_fig8_5_shortcut_maze.png"

"$gridrl" run "$configs/sb_fig6_5_maximization_bias.ini" -o "$out/fig6_5" -q
"$gridrl" plot "$out/fig6_5" --what curves
cp "$out/fig6_5/plots/choices_fraction.png" "$gallery/sb_fig6_5_maximization_bias.png"

echo "gallery regenerated in $gallery/"
