"""The bounds of the paper properties, one per kind of figure, each with the measurement behind it.

Unit "eps*S": eps is float32's 2**-23 and S the conditioning scale of parity.papers.findings.conditioning (the
float64 result's magnitude plus how far it moves when each schedule value it reads is rounded once to float32), so
one bound holds across timesteps whose arithmetic cancels very differently (t = 1 against t = 999). Measured on
the reference (diffusers 0.42.1, torch 2.13 CPU) and the ports (mlx_ddim, mlx 0.32.4 CPU), fixed seeds; worst
figure in brackets.
"""

# float64 DDIM eq. 12 at eta = 1 against DDPM eq. 7: the identity is exact, so only float64 rounding separates
# them (eps(float64) is 2**-29 of float32's); measured [1.4e-8 eps*S at t = 1]. A wrong algebra would be O(1).
FLOAT64_IDENTITY = 1e-6

# A DDIM step against float64 eq. 12 [0.77 eps*S, eta = 0 at t = 501, the reference; 0.75 for v-prediction at
# t = 999, the port (where x_t and v are float32 inputs, S also holds max|x_t| + max|v|)].
DDIM_STEP = 1.0

# A DDPM step against float64 eq. 7 [3.05 eps*S at t = 1 with epsilon (the port: 3.13), 4.57 with v-prediction at
# t = 1 with zero SNR (the port: 4.54)]: the step recomputes beta_t = 1 - abar_t / abar_{t-1}, which cancels to 1e-4 at small t.
DDPM_STEP = 5.0

# add_noise's coefficients sqrt(abar_t), sqrt(1 - abar_t) against float64 abar_t from the float32 betas, at every t
# [1.91 eps*S, both classes]: abar_t inherits the rounding of t float32 alphas 1 - beta_s.
ADD_NOISE_COEFFICIENT = 2.5

# Sample mean and variance of 65,536 draws of add_noise, in standard errors: a correct forward process exceeds 4.5
# with probability 6.8e-6 per figure (normal tails); measured [1.94].
MOMENT_Z = 4.5

# Zero SNR: sqrt(alphas_cumprod[0]) after rescaling against the float64 value before it, in eps. 0.25 eps is half a
# float32 ULP in [0.5, 1): the float32 value is the one nearest the exact value [0.092 eps].
ZERO_SNR_FIRST = 0.25

# Zero SNR: every sqrt(alphas_cumprod) against Algorithm 1 in float64 on the same betas, in eps [2.42 eps, the port
# 2.55].
ZERO_SNR_SCHEDULE = 3.0

# get_velocity against float64 v (Salimans and Ho) [0.73 eps*S at t = 999].
VELOCITY = 1.0

# A v-prediction step's pred_original_sample against the true x_0, S = max|x_t| + max|v| + max|x_0| [0.38 eps*S].
X0_FROM_V = 0.5

# Default betas against np.linspace(1e-4, 0.02, 1000) in float64 rounded to float32, in ULP [1: torch.linspace's
# two-ended float32 formula is not correctly rounded].
DEFAULT_BETAS_ULP = 1
