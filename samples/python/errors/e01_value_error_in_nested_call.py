"""A config parser whose ValueError, raised three calls deep, is never caught."""

DEFAULTS = {"lr": "0.1", "epochs": "5", "schedule": "constant"}


def parse_number(key, text):
    try:
        return float(text) if "." in text or "e" in text else int(text)
    except ValueError:
        raise ValueError(f"setting {key!r} expects a number, got {text!r}") from None


def parse_line(line):
    key, _, value = line.partition("=")
    key, value = key.strip(), value.strip()
    if not key:
        raise ValueError("empty key")
    if key in ("lr", "epochs", "momentum"):
        return key, parse_number(key, value)
    return key, value


def parse_config(text):
    config = {k: parse_line(f"{k}={v}")[1] for k, v in DEFAULTS.items()}
    for number, line in enumerate(text.strip().splitlines(), start=1):
        if line.strip().startswith("#"):
            continue
        key, value = parse_line(line)
        print(f"line {number}: {key} = {value!r}")
        config[key] = value
    return config


def main():
    good = parse_config("""
        # a comment line
        lr = 3e-4
        epochs = 20
        schedule = cosine
    """)
    print("parsed:", good)
    print(f"training for {good['epochs']} epochs at lr {good['lr']:.1e}")
    bad = parse_config("""
        lr = 0.01
        momentum = zero point nine
    """)
    print("never printed", bad)


if __name__ == "__main__":
    main()
