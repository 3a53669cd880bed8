MyExp = 3
