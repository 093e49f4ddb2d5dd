// The MMM module: adstock and saturation transforms, priors, the MMM log-density, lift tests.
