"""The reference for the experiment statistics: SciPy and statsmodels compute what the C# report computes.

Reads the cases (JSON) from argv[1], writes the answers (JSON) to argv[2]. Closed forms that the libraries do not
offer as a function (the confidence sequence, the delta method) are written out here with NumPy and SciPy's
distributions, as in the papers.
"""
import json
import math
import sys
import warnings

import numpy as np
from scipy import integrate, stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportion_effectsize, proportions_ztest

warnings.simplefilter("ignore")
cases = json.load(open(sys.argv[1]))
out = {}

out["normal"] = [{"cdf": stats.norm.cdf(x), "sf": stats.norm.sf(x), "ppf": stats.norm.ppf(p)} for x, p in cases["normal"]]
out["t"] = [{"cdf": stats.t.cdf(x, df), "ppf": stats.t.ppf(p, df)} for x, p, df in cases["t"]]
out["chi2"] = [stats.chi2.sf(x, df) for x, df in cases["chi2"]]

out["proportions"] = []
for k1, n1, k2, n2 in cases["proportions"]:
    low, high = proportion_confint(k1, n1, alpha=0.05, method="wilson")
    dlow, dhigh = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff", alpha=0.05)
    _, p = proportions_ztest([k1, k2], [n1, n2])
    out["proportions"].append({"wilsonLow": low, "wilsonHigh": high, "newcombeLow": dlow, "newcombeHigh": dhigh, "zPValue": p})


def welch(a, b):
    a, b = np.asarray(a), np.asarray(b)
    t_stat, p = stats.ttest_ind(a, b, equal_var=False)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    d = a.mean() - b.mean()
    return {"difference": d, "low": d - half, "high": d + half, "df": df, "pValue": p}


def relative(a, b):
    a, b = np.asarray(a), np.asarray(b)
    ma, mb = a.mean(), b.mean()
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    var = va / mb ** 2 + ma ** 2 * vb / mb ** 4
    half = stats.norm.ppf(0.975) * math.sqrt(var)
    return {"estimate": ma / mb - 1, "low": ma / mb - 1 - half, "high": ma / mb - 1 + half, "variance": var}


out["means"] = []
for case in cases["means"]:
    y, x, arm = np.asarray(case["y"]), np.asarray(case["x"]), np.asarray(case["arm"])
    t, c = y[arm == 1], y[arm == 0]
    theta = np.cov(x, y, ddof=1)[0, 1] / x.var(ddof=1)
    adjusted = y - theta * (x - x.mean())
    out["means"].append({"welch": welch(t, c), "relative": relative(t, c), "theta": theta,
                         "cuped": welch(adjusted[arm == 1], adjusted[arm == 0])})

out["sequential"] = []
for estimate, variance, n, alpha, tuning in cases["sequential"]:
    rho2 = (-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / tuning
    sigma = math.sqrt(variance * n)
    half = sigma * math.sqrt(2 * (n * rho2 + 1) / (n * n * rho2) * math.log(math.sqrt(n * rho2 + 1) / alpha))
    out["sequential"].append({"low": estimate - half, "high": estimate + half})

out["bayesian"] = []
for mean, variance in cases["bayesian"]:
    sd = math.sqrt(variance)
    loss_variant = integrate.quad(lambda x: max(0.0, -x) * stats.norm.pdf(x, mean, sd), mean - 40 * sd, mean + 40 * sd, epsabs=1e-15, epsrel=1e-13, limit=500, points=[0.0])[0]
    loss_control = integrate.quad(lambda x: max(0.0, x) * stats.norm.pdf(x, mean, sd), mean - 40 * sd, mean + 40 * sd, epsabs=1e-15, epsrel=1e-13, limit=500, points=[0.0])[0]
    out["bayesian"].append({"chance": stats.norm.sf(0, mean, sd), "riskVariant": loss_variant, "riskControl": loss_control})

out["srm"] = [stats.chisquare(obs, np.asarray(weights) / sum(weights) * sum(obs)).pvalue for obs, weights in cases["srm"]]
out["holm"] = [list(multipletests(ps, method="holm")[1]) for ps in cases["holm"]]

out["power"] = []
for baseline, target, alpha, power in cases["power"]:
    h = proportion_effectsize(target, baseline)
    n = NormalIndPower().solve_power(effect_size=h, alpha=alpha, power=power, ratio=1.0, alternative="two-sided")
    out["power"].append({"h": h, "n": float(n)})

out["meta"] = []
for case in cases["meta"]:
    estimates, variances = np.asarray(case["estimates"]), np.asarray(case["variances"])
    if len(estimates) == 1:
        # combine_effects needs two studies; one study is its own result.
        se = math.sqrt(variances[0])
        z = stats.norm.ppf(0.975)
        out["meta"].append({"estimate": estimates[0], "low": estimates[0] - z * se, "high": estimates[0] + z * se, "fixed": estimates[0],
                            "tau2": 0.0, "q": 0.0, "i2": 0.0, "pValue": 2 * stats.norm.sf(abs(estimates[0] / se))})
        continue
    res = combine_effects(estimates, variances, method_re="dl")
    if res.tau2 < 0:
        # statsmodels 0.13 leaves the DerSimonian-Laird tau^2 negative where Q < k - 1; the method truncates it at 0
        # (DerSimonian and Laird 1986), and the random-effects result is then the fixed-effect one.
        low, high = res.conf_int(alpha=0.05, use_t=False)[0]
        out["meta"].append({"estimate": res.mean_effect_fe, "low": low, "high": high, "fixed": res.mean_effect_fe, "tau2": 0.0, "q": res.q, "i2": 0.0,
                            "pValue": 2 * stats.norm.sf(abs(res.mean_effect_fe / res.sd_eff_w_fe))})
        continue
    low, high = res.conf_int(alpha=0.05, use_t=False)[1]
    out["meta"].append({"estimate": res.mean_effect_re, "low": low, "high": high, "fixed": res.mean_effect_fe,
                        "tau2": res.tau2, "q": res.q, "i2": max(0.0, res.i2), "pValue": 2 * stats.norm.sf(abs(res.mean_effect_re / res.sd_eff_w_re))})

json.dump(out, open(sys.argv[2], "w"))
