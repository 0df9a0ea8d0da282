// One line for a challenge result, whatever its kind.
import { fmt } from "./ui.mjs";

const KEYS = [
  ["accuracy", "accuracy"], ["p_value", "p"], ["mean_abs_cos", "mean |cos|"],
  ["min_abs_cos", "min |cos|"], ["error_ratio", "error ratio"], ["pac_fraction", "PAC"],
  ["success_rate", "inverted"], ["correct", "correct"],
];

export function summary(result) {
  if (!result) return "–";
  const parts = KEYS.filter(([k]) => typeof result[k] === "number").slice(0, 3)
    .map(([k, label]) => `${label} ${fmt(result[k], 4)}`);
  return parts.join(", ") || JSON.stringify(result);
}
