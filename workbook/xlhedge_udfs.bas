Attribute VB_Name = "xlhedge_udfs"
'Generated from xlhedge's worksheet-function registry by `python -m xlhedge.excel.addin`:
'do not edit. The wrappers call the Python functions in xlhedge.udfs through
'xlwings, so the workbook also needs xlwings' VBA module (xlwings.bas, e.g. from
'`xlwings quickstart NAME --standalone`) or a reference to the xlwings add-in.
#Const App = "Microsoft Excel" 'Adjust when using outside of Excel
Function ADJUSTED_BETA(beta, Optional weight, Optional prior)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ADJUSTED_BETA = XLPy.CallUDF("xlhedge.udfs", "ADJUSTED_BETA", Array(beta, weight, prior), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ADJUSTED_BETA = XLPy.CallUDF("xlhedge.udfs", "ADJUSTED_BETA", Array(beta, weight, prior))
        Exit Function
    #End If
failed:
    ADJUSTED_BETA = Err.Description
End Function

Function BETA(asset_prices, benchmark_prices, Optional window, Optional method, Optional lam, Optional returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BETA = XLPy.CallUDF("xlhedge.udfs", "BETA", Array(asset_prices, benchmark_prices, window, method, lam, returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        BETA = XLPy.CallUDF("xlhedge.udfs", "BETA", Array(asset_prices, benchmark_prices, window, method, lam, returns))
        Exit Function
    #End If
failed:
    BETA = Err.Description
End Function

Function BETA_STATS(asset_prices, benchmark_prices, Optional window, Optional returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BETA_STATS = XLPy.CallUDF("xlhedge.udfs", "BETA_STATS", Array(asset_prices, benchmark_prices, window, returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        BETA_STATS = XLPy.CallUDF("xlhedge.udfs", "BETA_STATS", Array(asset_prices, benchmark_prices, window, returns))
        Exit Function
    #End If
failed:
    BETA_STATS = Err.Description
End Function

Function BOOK_GREEKS(attributes, nav, Optional as_of, Optional rate, Optional div, Optional instruments, Optional rows)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BOOK_GREEKS = XLPy.CallUDF("xlhedge.udfs", "BOOK_GREEKS", Array(attributes, nav, as_of, rate, div, instruments, rows), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        BOOK_GREEKS = XLPy.CallUDF("xlhedge.udfs", "BOOK_GREEKS", Array(attributes, nav, as_of, rate, div, instruments, rows))
        Exit Function
    #End If
failed:
    BOOK_GREEKS = Err.Description
End Function

Function BUDGET_STATUS(nav, Optional rate, Optional regime, Optional ledger, Optional today, Optional splits)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        BUDGET_STATUS = XLPy.CallUDF("xlhedge.udfs", "BUDGET_STATUS", Array(nav, rate, regime, ledger, today, splits), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        BUDGET_STATUS = XLPy.CallUDF("xlhedge.udfs", "BUDGET_STATUS", Array(nav, rate, regime, ledger, today, splits))
        Exit Function
    #End If
failed:
    BUDGET_STATUS = Err.Description
End Function

Function CALIBRATE_THRESHOLDS(history, Optional reference, Optional reference_low, Optional reference_high)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CALIBRATE_THRESHOLDS = XLPy.CallUDF("xlhedge.udfs", "CALIBRATE_THRESHOLDS", Array(history, reference, reference_low, reference_high), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        CALIBRATE_THRESHOLDS = XLPy.CallUDF("xlhedge.udfs", "CALIBRATE_THRESHOLDS", Array(history, reference, reference_low, reference_high))
        Exit Function
    #End If
failed:
    CALIBRATE_THRESHOLDS = Err.Description
End Function

Function CORRELATION(prices_a, prices_b, Optional window)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CORRELATION = XLPy.CallUDF("xlhedge.udfs", "CORRELATION", Array(prices_a, prices_b, window), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        CORRELATION = XLPy.CallUDF("xlhedge.udfs", "CORRELATION", Array(prices_a, prices_b, window))
        Exit Function
    #End If
failed:
    CORRELATION = Err.Description
End Function

Function CORRELATION_MATRIX(prices, Optional window, Optional returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CORRELATION_MATRIX = XLPy.CallUDF("xlhedge.udfs", "CORRELATION_MATRIX", Array(prices, window, returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        CORRELATION_MATRIX = XLPy.CallUDF("xlhedge.udfs", "CORRELATION_MATRIX", Array(prices, window, returns))
        Exit Function
    #End If
failed:
    CORRELATION_MATRIX = Err.Description
End Function

Function CURRENCY_EXPOSURE(weights, currencies, fx_shares, currency_, Optional record, Optional listing)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        CURRENCY_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "CURRENCY_EXPOSURE", Array(weights, currencies, fx_shares, currency_, record, listing), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        CURRENCY_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "CURRENCY_EXPOSURE", Array(weights, currencies, fx_shares, currency_, record, listing))
        Exit Function
    #End If
failed:
    CURRENCY_EXPOSURE = Err.Description
End Function

Function EWMA_BETA(asset_prices, benchmark_prices, Optional lam, Optional window)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EWMA_BETA = XLPy.CallUDF("xlhedge.udfs", "EWMA_BETA", Array(asset_prices, benchmark_prices, lam, window), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        EWMA_BETA = XLPy.CallUDF("xlhedge.udfs", "EWMA_BETA", Array(asset_prices, benchmark_prices, lam, window))
        Exit Function
    #End If
failed:
    EWMA_BETA = Err.Description
End Function

Function EXPOSURE_AFTER(exposure, nav, contracts, price, Optional multiplier, Optional beta, Optional micro_contracts, Optional micro_multiplier)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXPOSURE_AFTER = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_AFTER", Array(exposure, nav, contracts, price, multiplier, beta, micro_contracts, micro_multiplier), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        EXPOSURE_AFTER = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_AFTER", Array(exposure, nav, contracts, price, multiplier, beta, micro_contracts, micro_multiplier))
        Exit Function
    #End If
failed:
    EXPOSURE_AFTER = Err.Description
End Function

Function EXPOSURE_PER_MOVE(exposures, factors, nav)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        EXPOSURE_PER_MOVE = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_PER_MOVE", Array(exposures, factors, nav), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        EXPOSURE_PER_MOVE = XLPy.CallUDF("xlhedge.udfs", "EXPOSURE_PER_MOVE", Array(exposures, factors, nav))
        Exit Function
    #End If
failed:
    EXPOSURE_PER_MOVE = Err.Description
End Function

Function FACTOR_CONTRIBUTORS(block, tickers)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FACTOR_CONTRIBUTORS = XLPy.CallUDF("xlhedge.udfs", "FACTOR_CONTRIBUTORS", Array(block, tickers), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FACTOR_CONTRIBUTORS = XLPy.CallUDF("xlhedge.udfs", "FACTOR_CONTRIBUTORS", Array(block, tickers))
        Exit Function
    #End If
failed:
    FACTOR_CONTRIBUTORS = Err.Description
End Function

Function FACTOR_COVARIANCE(vols, correlations, Optional horizon_days, Optional days_per_year, Optional repair)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FACTOR_COVARIANCE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_COVARIANCE", Array(vols, correlations, horizon_days, days_per_year, repair), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FACTOR_COVARIANCE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_COVARIANCE", Array(vols, correlations, horizon_days, days_per_year, repair))
        Exit Function
    #End If
failed:
    FACTOR_COVARIANCE = Err.Description
End Function

Function FACTOR_EXPOSURE(block_or_betas, Optional weights_or_nav, Optional nav)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FACTOR_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_EXPOSURE", Array(block_or_betas, weights_or_nav, nav), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FACTOR_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FACTOR_EXPOSURE", Array(block_or_betas, weights_or_nav, nav))
        Exit Function
    #End If
failed:
    FACTOR_EXPOSURE = Err.Description
End Function

Function FX_EXPOSURE(weights, currencies, Optional fx_shares, Optional record, Optional rows, Optional listing)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FX_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FX_EXPOSURE", Array(weights, currencies, fx_shares, record, rows, listing), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FX_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "FX_EXPOSURE", Array(weights, currencies, fx_shares, record, rows, listing))
        Exit Function
    #End If
failed:
    FX_EXPOSURE = Err.Description
End Function

Function FX_HEDGE(currency_, exposure, nav, Optional ratio, Optional record, Optional instruments)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        FX_HEDGE = XLPy.CallUDF("xlhedge.udfs", "FX_HEDGE", Array(currency_, exposure, nav, ratio, record, instruments), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        FX_HEDGE = XLPy.CallUDF("xlhedge.udfs", "FX_HEDGE", Array(currency_, exposure, nav, ratio, record, instruments))
        Exit Function
    #End If
failed:
    FX_HEDGE = Err.Description
End Function

Function HEDGE_BUDGET(nav, Optional rate, Optional regime, Optional splits)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_BUDGET = XLPy.CallUDF("xlhedge.udfs", "HEDGE_BUDGET", Array(nav, rate, regime, splits), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_BUDGET = XLPy.CallUDF("xlhedge.udfs", "HEDGE_BUDGET", Array(nav, rate, regime, splits))
        Exit Function
    #End If
failed:
    HEDGE_BUDGET = Err.Description
End Function

Function HEDGE_CHECKS(positions, betas, Optional settings, Optional ledger, Optional tolerances, Optional rows, Optional theta_budget)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_CHECKS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CHECKS", Array(positions, betas, settings, ledger, tolerances, rows, theta_budget), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_CHECKS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CHECKS", Array(positions, betas, settings, ledger, tolerances, rows, theta_budget))
        Exit Function
    #End If
failed:
    HEDGE_CHECKS = Err.Description
End Function

Function HEDGE_CONTRACTS(notional, price, Optional multiplier, Optional beta, Optional micro_multiplier)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_CONTRACTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CONTRACTS", Array(notional, price, multiplier, beta, micro_multiplier), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_CONTRACTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_CONTRACTS", Array(notional, price, multiplier, beta, micro_multiplier))
        Exit Function
    #End If
failed:
    HEDGE_CONTRACTS = Err.Description
End Function

Function HEDGE_COSTS(tickers, Optional instruments, Optional horizon_days, Optional rate, Optional div, Optional funding_per_day)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_COSTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_COSTS", Array(tickers, instruments, horizon_days, rate, div, funding_per_day), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_COSTS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_COSTS", Array(tickers, instruments, horizon_days, rate, div, funding_per_day))
        Exit Function
    #End If
failed:
    HEDGE_COSTS = Err.Description
End Function

Function HEDGE_DEPLOYMENT(nav, Optional rate, Optional vol_levels, Optional ledger, Optional today, Optional splits)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_DEPLOYMENT = XLPy.CallUDF("xlhedge.udfs", "HEDGE_DEPLOYMENT", Array(nav, rate, vol_levels, ledger, today, splits), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_DEPLOYMENT = XLPy.CallUDF("xlhedge.udfs", "HEDGE_DEPLOYMENT", Array(nav, rate, vol_levels, ledger, today, splits))
        Exit Function
    #End If
failed:
    HEDGE_DEPLOYMENT = Err.Description
End Function

Function HEDGE_DEPLOYMENT_CURVE(Optional vix_levels)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_DEPLOYMENT_CURVE = XLPy.CallUDF("xlhedge.udfs", "HEDGE_DEPLOYMENT_CURVE", Array(vix_levels), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_DEPLOYMENT_CURVE = XLPy.CallUDF("xlhedge.udfs", "HEDGE_DEPLOYMENT_CURVE", Array(vix_levels))
        Exit Function
    #End If
failed:
    HEDGE_DEPLOYMENT_CURVE = Err.Description
End Function

Function HEDGE_LIMITS(tickers, loadings, exposures, cov_normal, Optional instruments, Optional size_limit)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_LIMITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_LIMITS", Array(tickers, loadings, exposures, cov_normal, instruments, size_limit), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_LIMITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_LIMITS", Array(tickers, loadings, exposures, cov_normal, instruments, size_limit))
        Exit Function
    #End If
failed:
    HEDGE_LIMITS = Err.Description
End Function

Function HEDGE_LOADINGS(tickers, factors, Optional instruments, Optional rate, Optional div)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_LOADINGS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_LOADINGS", Array(tickers, factors, instruments, rate, div), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_LOADINGS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_LOADINGS", Array(tickers, factors, instruments, rate, div))
        Exit Function
    #End If
failed:
    HEDGE_LOADINGS = Err.Description
End Function

Function HEDGE_NOTIONAL(exposure, nav, Optional ratio, Optional target, Optional alpha)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_NOTIONAL = XLPy.CallUDF("xlhedge.udfs", "HEDGE_NOTIONAL", Array(exposure, nav, ratio, target, alpha), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_NOTIONAL = XLPy.CallUDF("xlhedge.udfs", "HEDGE_NOTIONAL", Array(exposure, nav, ratio, target, alpha))
        Exit Function
    #End If
failed:
    HEDGE_NOTIONAL = Err.Description
End Function

Function HEDGE_OPTIMIZE(exposures, loadings, cov_normal, Optional cov_stress, Optional costs, Optional budget, Optional lower, Optional upper, Optional integer_, Optional cost_weight)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_OPTIMIZE = XLPy.CallUDF("xlhedge.udfs", "HEDGE_OPTIMIZE", Array(exposures, loadings, cov_normal, cov_stress, costs, budget, lower, upper, integer_, cost_weight), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_OPTIMIZE = XLPy.CallUDF("xlhedge.udfs", "HEDGE_OPTIMIZE", Array(exposures, loadings, cov_normal, cov_stress, costs, budget, lower, upper, integer_, cost_weight))
        Exit Function
    #End If
failed:
    HEDGE_OPTIMIZE = Err.Description
End Function

Function HEDGE_OUTCOMES(spot_qty, price, ratios, moves, Optional contract, Optional funding_rate, Optional days, Optional periods_per_day, Optional face, Optional output)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_OUTCOMES = XLPy.CallUDF("xlhedge.udfs", "HEDGE_OUTCOMES", Array(spot_qty, price, ratios, moves, contract, funding_rate, days, periods_per_day, face, output), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_OUTCOMES = XLPy.CallUDF("xlhedge.udfs", "HEDGE_OUTCOMES", Array(spot_qty, price, ratios, moves, contract, funding_rate, days, periods_per_day, face, output))
        Exit Function
    #End If
failed:
    HEDGE_OUTCOMES = Err.Description
End Function

Function HEDGE_PLAN(ticker, exposure, nav, Optional ratio, Optional target, Optional alpha, Optional instruments, Optional rate, Optional div, Optional funding_periods_per_day)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_PLAN = XLPy.CallUDF("xlhedge.udfs", "HEDGE_PLAN", Array(ticker, exposure, nav, ratio, target, alpha, instruments, rate, div, funding_periods_per_day), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_PLAN = XLPy.CallUDF("xlhedge.udfs", "HEDGE_PLAN", Array(ticker, exposure, nav, ratio, target, alpha, instruments, rate, div, funding_periods_per_day))
        Exit Function
    #End If
failed:
    HEDGE_PLAN = Err.Description
End Function

Function HEDGE_RISK(exposures, loadings, cov_normal, Optional cov_stress, Optional contracts, Optional costs)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_RISK = XLPy.CallUDF("xlhedge.udfs", "HEDGE_RISK", Array(exposures, loadings, cov_normal, cov_stress, contracts, costs), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_RISK = XLPy.CallUDF("xlhedge.udfs", "HEDGE_RISK", Array(exposures, loadings, cov_normal, cov_stress, contracts, costs))
        Exit Function
    #End If
failed:
    HEDGE_RISK = Err.Description
End Function

Function HEDGE_UNITS(notional, price, Optional multiplier, Optional beta)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        HEDGE_UNITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_UNITS", Array(notional, price, multiplier, beta), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        HEDGE_UNITS = XLPy.CallUDF("xlhedge.udfs", "HEDGE_UNITS", Array(notional, price, multiplier, beta))
        Exit Function
    #End If
failed:
    HEDGE_UNITS = Err.Description
End Function

Function INSTRUMENT(ticker, Optional field)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        INSTRUMENT = XLPy.CallUDF("xlhedge.udfs", "INSTRUMENT", Array(ticker, field), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        INSTRUMENT = XLPy.CallUDF("xlhedge.udfs", "INSTRUMENT", Array(ticker, field))
        Exit Function
    #End If
failed:
    INSTRUMENT = Err.Description
End Function

Function INVERSE_PNL(contracts, face, entry, exit_)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        INVERSE_PNL = XLPy.CallUDF("xlhedge.udfs", "INVERSE_PNL", Array(contracts, face, entry, exit_), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        INVERSE_PNL = XLPy.CallUDF("xlhedge.udfs", "INVERSE_PNL", Array(contracts, face, entry, exit_))
        Exit Function
    #End If
failed:
    INVERSE_PNL = Err.Description
End Function

Function JOINT_SCENARIO_PNL(attributes, factors, nav, as_of, rate, div, instruments, scenarios, Optional hedge_instruments, Optional hedge_contracts, Optional hedge_micros, Optional hedge_micro_contracts)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        JOINT_SCENARIO_PNL = XLPy.CallUDF("xlhedge.udfs", "JOINT_SCENARIO_PNL", Array(attributes, factors, nav, as_of, rate, div, instruments, scenarios, hedge_instruments, hedge_contracts, hedge_micros, hedge_micro_contracts), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        JOINT_SCENARIO_PNL = XLPy.CallUDF("xlhedge.udfs", "JOINT_SCENARIO_PNL", Array(attributes, factors, nav, as_of, rate, div, instruments, scenarios, hedge_instruments, hedge_contracts, hedge_micros, hedge_micro_contracts))
        Exit Function
    #End If
failed:
    JOINT_SCENARIO_PNL = Err.Description
End Function

Function LINEAR_PNL(qty, entry, exit_)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LINEAR_PNL = XLPy.CallUDF("xlhedge.udfs", "LINEAR_PNL", Array(qty, entry, exit_), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        LINEAR_PNL = XLPy.CallUDF("xlhedge.udfs", "LINEAR_PNL", Array(qty, entry, exit_))
        Exit Function
    #End If
failed:
    LINEAR_PNL = Err.Description
End Function

Function LIQ_DISTANCE(entry, liq_price, Optional daily_vol)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LIQ_DISTANCE = XLPy.CallUDF("xlhedge.udfs", "LIQ_DISTANCE", Array(entry, liq_price, daily_vol), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        LIQ_DISTANCE = XLPy.CallUDF("xlhedge.udfs", "LIQ_DISTANCE", Array(entry, liq_price, daily_vol))
        Exit Function
    #End If
failed:
    LIQ_DISTANCE = Err.Description
End Function

Function LIQ_PRICE(entry, leverage, side, Optional mmr, Optional contract)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LIQ_PRICE = XLPy.CallUDF("xlhedge.udfs", "LIQ_PRICE", Array(entry, leverage, side, mmr, contract), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        LIQ_PRICE = XLPy.CallUDF("xlhedge.udfs", "LIQ_PRICE", Array(entry, leverage, side, mmr, contract))
        Exit Function
    #End If
failed:
    LIQ_PRICE = Err.Description
End Function

Function LSQ_HEDGE(book_prices, instrument_prices, Optional periods_per_year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        LSQ_HEDGE = XLPy.CallUDF("xlhedge.udfs", "LSQ_HEDGE", Array(book_prices, instrument_prices, periods_per_year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        LSQ_HEDGE = XLPy.CallUDF("xlhedge.udfs", "LSQ_HEDGE", Array(book_prices, instrument_prices, periods_per_year))
        Exit Function
    #End If
failed:
    LSQ_HEDGE = Err.Description
End Function

Function MINVAR_HEDGE(spot_prices, hedge_prices, Optional periods_per_year)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        MINVAR_HEDGE = XLPy.CallUDF("xlhedge.udfs", "MINVAR_HEDGE", Array(spot_prices, hedge_prices, periods_per_year), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        MINVAR_HEDGE = XLPy.CallUDF("xlhedge.udfs", "MINVAR_HEDGE", Array(spot_prices, hedge_prices, periods_per_year))
        Exit Function
    #End If
failed:
    MINVAR_HEDGE = Err.Description
End Function

Function OPTION_BOOK_SCENARIOS(attributes, factors, nav, as_of, rate, div, instruments, scenarios)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        OPTION_BOOK_SCENARIOS = XLPy.CallUDF("xlhedge.udfs", "OPTION_BOOK_SCENARIOS", Array(attributes, factors, nav, as_of, rate, div, instruments, scenarios), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        OPTION_BOOK_SCENARIOS = XLPy.CallUDF("xlhedge.udfs", "OPTION_BOOK_SCENARIOS", Array(attributes, factors, nav, as_of, rate, div, instruments, scenarios))
        Exit Function
    #End If
failed:
    OPTION_BOOK_SCENARIOS = Err.Description
End Function

Function OPTION_EXPOSURE(kind, contracts, multiplier, spot, strike, vol, years, nav, Optional rate, Optional div, Optional model, Optional vol_beta)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        OPTION_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "OPTION_EXPOSURE", Array(kind, contracts, multiplier, spot, strike, vol, years, nav, rate, div, model, vol_beta), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        OPTION_EXPOSURE = XLPy.CallUDF("xlhedge.udfs", "OPTION_EXPOSURE", Array(kind, contracts, multiplier, spot, strike, vol, years, nav, rate, div, model, vol_beta))
        Exit Function
    #End If
failed:
    OPTION_EXPOSURE = Err.Description
End Function

Function OPTION_GREEKS(kind, spot, strike, vol, years, Optional rate, Optional div, Optional model)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        OPTION_GREEKS = XLPy.CallUDF("xlhedge.udfs", "OPTION_GREEKS", Array(kind, spot, strike, vol, years, rate, div, model), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        OPTION_GREEKS = XLPy.CallUDF("xlhedge.udfs", "OPTION_GREEKS", Array(kind, spot, strike, vol, years, rate, div, model))
        Exit Function
    #End If
failed:
    OPTION_GREEKS = Err.Description
End Function

Function OPTION_SCENARIO(kind, contracts, multiplier, spot, strike, vol, years, spot_moves, vol_moves, Optional rate, Optional div, Optional model, Optional horizon_days)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        OPTION_SCENARIO = XLPy.CallUDF("xlhedge.udfs", "OPTION_SCENARIO", Array(kind, contracts, multiplier, spot, strike, vol, years, spot_moves, vol_moves, rate, div, model, horizon_days), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        OPTION_SCENARIO = XLPy.CallUDF("xlhedge.udfs", "OPTION_SCENARIO", Array(kind, contracts, multiplier, spot, strike, vol, years, spot_moves, vol_moves, rate, div, model, horizon_days))
        Exit Function
    #End If
failed:
    OPTION_SCENARIO = Err.Description
End Function

Function OPTION_THETA_BUDGET(attributes, nav, as_of, rate, div, instruments, budget_status)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        OPTION_THETA_BUDGET = XLPy.CallUDF("xlhedge.udfs", "OPTION_THETA_BUDGET", Array(attributes, nav, as_of, rate, div, instruments, budget_status), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        OPTION_THETA_BUDGET = XLPy.CallUDF("xlhedge.udfs", "OPTION_THETA_BUDGET", Array(attributes, nav, as_of, rate, div, instruments, budget_status))
        Exit Function
    #End If
failed:
    OPTION_THETA_BUDGET = Err.Description
End Function

Function PAIR_NEUTRAL(w_a, beta_a, beta_b)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PAIR_NEUTRAL = XLPy.CallUDF("xlhedge.udfs", "PAIR_NEUTRAL", Array(w_a, beta_a, beta_b), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PAIR_NEUTRAL = XLPy.CallUDF("xlhedge.udfs", "PAIR_NEUTRAL", Array(w_a, beta_a, beta_b))
        Exit Function
    #End If
failed:
    PAIR_NEUTRAL = Err.Description
End Function

Function PERP_CARRY(rates, Optional periods_per_day, Optional side)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PERP_CARRY = XLPy.CallUDF("xlhedge.udfs", "PERP_CARRY", Array(rates, periods_per_day, side), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PERP_CARRY = XLPy.CallUDF("xlhedge.udfs", "PERP_CARRY", Array(rates, periods_per_day, side))
        Exit Function
    #End If
failed:
    PERP_CARRY = Err.Description
End Function

Function PERP_FUNDING(position_value, rate, Optional periods, Optional side)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PERP_FUNDING = XLPy.CallUDF("xlhedge.udfs", "PERP_FUNDING", Array(position_value, rate, periods, side), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PERP_FUNDING = XLPy.CallUDF("xlhedge.udfs", "PERP_FUNDING", Array(position_value, rate, periods, side))
        Exit Function
    #End If
failed:
    PERP_FUNDING = Err.Description
End Function

Function PUT_DELTA(spot, strike, vol, years, Optional rate, Optional div)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PUT_DELTA = XLPy.CallUDF("xlhedge.udfs", "PUT_DELTA", Array(spot, strike, vol, years, rate, div), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PUT_DELTA = XLPy.CallUDF("xlhedge.udfs", "PUT_DELTA", Array(spot, strike, vol, years, rate, div))
        Exit Function
    #End If
failed:
    PUT_DELTA = Err.Description
End Function

Function PUT_PRICE(spot, strike, vol, years, Optional rate, Optional div)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        PUT_PRICE = XLPy.CallUDF("xlhedge.udfs", "PUT_PRICE", Array(spot, strike, vol, years, rate, div), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        PUT_PRICE = XLPy.CallUDF("xlhedge.udfs", "PUT_PRICE", Array(spot, strike, vol, years, rate, div))
        Exit Function
    #End If
failed:
    PUT_PRICE = Err.Description
End Function

Function REBALANCE(positions, betas, nav, Optional tolerance_pp, Optional targets, Optional rows)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REBALANCE = XLPy.CallUDF("xlhedge.udfs", "REBALANCE", Array(positions, betas, nav, tolerance_pp, targets, rows), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        REBALANCE = XLPy.CallUDF("xlhedge.udfs", "REBALANCE", Array(positions, betas, nav, tolerance_pp, targets, rows))
        Exit Function
    #End If
failed:
    REBALANCE = Err.Description
End Function

Function REGIME_CORRELATION(prices, vol_index, regime, Optional low, Optional high, Optional adjusted, Optional market)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGIME_CORRELATION = XLPy.CallUDF("xlhedge.udfs", "REGIME_CORRELATION", Array(prices, vol_index, regime, low, high, adjusted, market), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        REGIME_CORRELATION = XLPy.CallUDF("xlhedge.udfs", "REGIME_CORRELATION", Array(prices, vol_index, regime, low, high, adjusted, market))
        Exit Function
    #End If
failed:
    REGIME_CORRELATION = Err.Description
End Function

Function REGIME_MOVE(spx_move, spx_vol, vols, correlations, Optional per_unit)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        REGIME_MOVE = XLPy.CallUDF("xlhedge.udfs", "REGIME_MOVE", Array(spx_move, spx_vol, vols, correlations, per_unit), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        REGIME_MOVE = XLPy.CallUDF("xlhedge.udfs", "REGIME_MOVE", Array(spx_move, spx_vol, vols, correlations, per_unit))
        Exit Function
    #End If
failed:
    REGIME_MOVE = Err.Description
End Function

Function ROLLING_BETA(asset_prices, benchmark_prices, window, Optional returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROLLING_BETA = XLPy.CallUDF("xlhedge.udfs", "ROLLING_BETA", Array(asset_prices, benchmark_prices, window, returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROLLING_BETA = XLPy.CallUDF("xlhedge.udfs", "ROLLING_BETA", Array(asset_prices, benchmark_prices, window, returns))
        Exit Function
    #End If
failed:
    ROLLING_BETA = Err.Description
End Function

Function ROLLING_CORRELATION(asset_prices, benchmark_prices, window, Optional returns)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROLLING_CORRELATION = XLPy.CallUDF("xlhedge.udfs", "ROLLING_CORRELATION", Array(asset_prices, benchmark_prices, window, returns), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROLLING_CORRELATION = XLPy.CallUDF("xlhedge.udfs", "ROLLING_CORRELATION", Array(asset_prices, benchmark_prices, window, returns))
        Exit Function
    #End If
failed:
    ROLLING_CORRELATION = Err.Description
End Function

Function ROLL_DAYS(expiry, Optional as_of, Optional days)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        ROLL_DAYS = XLPy.CallUDF("xlhedge.udfs", "ROLL_DAYS", Array(expiry, as_of, days), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        ROLL_DAYS = XLPy.CallUDF("xlhedge.udfs", "ROLL_DAYS", Array(expiry, as_of, days))
        Exit Function
    #End If
failed:
    ROLL_DAYS = Err.Description
End Function

Function SCENARIO_PNL(exposures, shocks, nav)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SCENARIO_PNL = XLPy.CallUDF("xlhedge.udfs", "SCENARIO_PNL", Array(exposures, shocks, nav), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SCENARIO_PNL = XLPy.CallUDF("xlhedge.udfs", "SCENARIO_PNL", Array(exposures, shocks, nav))
        Exit Function
    #End If
failed:
    SCENARIO_PNL = Err.Description
End Function

Function SERIES_NAMES(prices, Optional vertical)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        SERIES_NAMES = XLPy.CallUDF("xlhedge.udfs", "SERIES_NAMES", Array(prices, vertical), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        SERIES_NAMES = XLPy.CallUDF("xlhedge.udfs", "SERIES_NAMES", Array(prices, vertical))
        Exit Function
    #End If
failed:
    SERIES_NAMES = Err.Description
End Function

Function TILT_ETF(exposures, factors, Optional instruments)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        TILT_ETF = XLPy.CallUDF("xlhedge.udfs", "TILT_ETF", Array(exposures, factors, instruments), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        TILT_ETF = XLPy.CallUDF("xlhedge.udfs", "TILT_ETF", Array(exposures, factors, instruments))
        Exit Function
    #End If
failed:
    TILT_ETF = Err.Description
End Function

Function UNIT_DV01(price, duration, Optional face)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        UNIT_DV01 = XLPy.CallUDF("xlhedge.udfs", "UNIT_DV01", Array(price, duration, face), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        UNIT_DV01 = XLPy.CallUDF("xlhedge.udfs", "UNIT_DV01", Array(price, duration, face))
        Exit Function
    #End If
failed:
    UNIT_DV01 = Err.Description
End Function

Function VOL_REGIME(level, Optional index, Optional low, Optional high)
    #If App = "Microsoft Excel" Then
        If TypeOf Application.Caller Is Range Then On Error GoTo failed
        VOL_REGIME = XLPy.CallUDF("xlhedge.udfs", "VOL_REGIME", Array(level, index, low, high), ThisWorkbook, Application.Caller)
        Exit Function
    #Else
        VOL_REGIME = XLPy.CallUDF("xlhedge.udfs", "VOL_REGIME", Array(level, index, low, high))
        Exit Function
    #End If
failed:
    VOL_REGIME = Err.Description
End Function

Sub RegisterXlhedgeFunctions()
    ' Gives Excel's function wizard (Insert Function, Ctrl+Shift+A) the description
    ' and argument help of every xlhedge function. Run once after importing this
    ' module, or call it from Workbook_Open.
    Dim d() As Variant
    ReDim d(0 To 2)
    d(0) = "Raw beta(s), a cell or a range."
    d(1) = "Weight on the raw beta, default 0.67."
    d(2) = "Beta the estimate is pulled toward, default 1.0."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!ADJUSTED_BETA", Description:="Adjusted (Blume) beta = weight" & ChrW(183) & ChrW(946) & " + (1 " & ChrW(8722) & " weight)" & ChrW(183) & "prior; docs/methodology/estimation.md default 0.67" & ChrW(183) & ChrW(946) & " + 0.33.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Asset prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise). Several columns give a row of betas."
    d(1) = "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as the assets or with its own date column."
    d(2) = "Number of most recent returns to use (optional; all when blank). Whole number " & ChrW(8805) & " 2."
    d(3) = "Estimator: ""ols"" (default, Cov/Var) or ""ewma"" (RiskMetrics, zero mean)."
    d(4) = "EWMA decay " & ChrW(955) & " in (0, 1), default 0.94; ignored for ols."
    d(5) = "Return type: ""simple"" (default, P1/P0 " & ChrW(8722) & " 1) or ""log""."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!BETA", Description:="Beta of asset returns to benchmark returns (OLS slope with intercept, or EWMA), docs/methodology/estimation.md.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Asset prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise)."
    d(1) = "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as the assets or with its own date column."
    d(2) = "Number of most recent returns to use (optional; all when blank)."
    d(3) = "Return type: ""simple"" (default) or ""log""."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!BETA_STATS", Description:="OLS beta with its statistics, one column per asset: rows beta, alpha, R" & ChrW(178) & ", SE(" & ChrW(946) & "), t, n.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 6)
    d(0) = "The Book's attribute block with its labels (BookAttributeBlock)."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Valuation date: years to expiry count from it (blank = today)."
    d(3) = "Risk-free rate for the bs options, annual continuously compounded (default 0)."
    d(4) = "Dividend yield for the bs options, annual continuously compounded (default 0)."
    d(5) = "The Instruments table (InstrumentTable) an underlying outside the book is looked up in (blank = the shipped catalogue)."
    d(6) = "Rows to fill (default: as many as needed); the rest are blank."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!BOOK_GREEKS", Description:="Greeks table of the book's option positions, one row per option then the book total: delta, vol and gamma exposure, premium, theta per day and per year (docs/methodology/options.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "NAV in the currency of record (> 0)."
    d(1) = "Annual hedging budget as a fraction of NAV (default 0.03 = 3%; 2" & ChrW(8211) & "4% is usual)."
    d(2) = "low, normal or high, a VIX level (docs/methodology/regimes.md), or two columns index | level (regime per bucket)."
    d(3) = "Hedge ledger with a header row: Date, Instrument, Bucket, Premium (paid > 0, received < 0), optional Vol index and Vol level."
    d(4) = "Date the year-to-date runs to (blank = today)."
    d(5) = "Optional split table: a header row low | normal | high and one row per bucket (label in the first column), fractions of the budget; each column sums to 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!BUDGET_STATUS", Description:="Hedging budget per bucket against premium spent year-to-date from the hedge ledger (docs/methodology/budget.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Daily levels of the index to calibrate (MOVE, DVOL, CVIX...); blanks ignored."
    d(1) = "A VIX history (optional): maps its 18/28 percentiles. Blank: the shipped percentiles."
    d(2) = "Reference lower threshold, default 18."
    d(3) = "Reference upper threshold, default 28."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!CALIBRATE_THRESHOLDS", Description:="Regime thresholds for another index by percentile mapping (docs/methodology/regimes.md): returns [low, high].", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "First series' prices (one column, optional date column)."
    d(1) = "Second series' prices (one column, same rows or its own date column)."
    d(2) = "Number of most recent common returns (optional; all when blank)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!CORRELATION", Description:="Correlation of two price series on their common rows (docs/methodology/estimation.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise)."
    d(1) = "Number of most recent common returns per pair (optional; all when blank)."
    d(2) = "Return type: ""simple"" (default) or ""log""."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!CORRELATION_MATRIX", Description:="Pearson correlation matrix of returns, each pair aligned on its common rows (docs/methodology/estimation.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Position weights, fraction of NAV (short < 0), one row or column."
    d(1) = "Per position, the currency its value moves with (ISO code), same length."
    d(2) = "Per position, share of its value that moves with that currency (blank = 1)."
    d(3) = "The currency to report (ISO code, e.g. EUR)."
    d(4) = "Currency of record (default USD)."
    d(5) = "Per position, the listing currency: used where the FX exposure currency is blank (share as given, blank = 1); optional, same length."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!CURRENCY_EXPOSURE", Description:="Exposure of the book to one currency against the currency of record (docs/methodology/sizing.md FX).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Asset prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise)."
    d(1) = "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as the assets or with its own date column."
    d(2) = "Decay " & ChrW(955) & " in (0, 1), default 0.94 (RiskMetrics daily)."
    d(3) = "Number of most recent returns to use (optional; all when blank)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!EWMA_BETA", Description:="RiskMetrics EWMA beta " & ChrW(931) & ChrW(955) & ChrW(7503) & ChrW(183) & "r" & ChrW(8336) & ChrW(183) & "r" & ChrW(8344) & " / " & ChrW(931) & ChrW(955) & ChrW(7503) & ChrW(183) & "r" & ChrW(8344) & ChrW(178) & " (k = 0 newest), docs/methodology/estimation.md.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 7)
    d(0) = "Factor exposure before the hedge, NAV fraction (long > 0)."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Hedge contracts/units, signed (short < 0)."
    d(3) = "Instrument price (> 0)."
    d(4) = "Currency per price point per contract; default 1."
    d(5) = "Instrument beta to the factor; default 1."
    d(6) = "Micro contracts added (signed); optional."
    d(7) = "Multiplier of the micro contract; needed with micro_contracts."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!EXPOSURE_AFTER", Description:="Factor exposure after adding a hedge: E + contracts " & ChrW(215) & " price " & ChrW(215) & " multiplier " & ChrW(215) & " beta / NAV.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "A column of factor exposures (" & ChrW(215) & " NAV), e.g. the Exposures sheet's."
    d(1) = "The factor labels beside them (core factors or tilts)."
    d(2) = "NAV in the currency of record (> 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!EXPOSURE_PER_MOVE", Description:="The book's P&L per unit move of each factor: exposure " & ChrW(215) & " NAV " & ChrW(215) & " scale (" & ChrW(8722) & "0.0001 duration, 0.01 vol, else 1).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 1)
    d(0) = "Block as in FACTOR_EXPOSURE: first row weights, then one row of betas per factor."
    d(1) = "One row of position names, as many as the block has positions."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FACTOR_CONTRIBUTORS", Description:="Largest contributor per factor row: ticker whose weight " & ChrW(215) & " beta is largest in size.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "A row or column of n annualised vols, each in its factor's move unit (SPX return, bp of yield, VIX points...)."
    d(1) = "n" & ChrW(215) & "n correlation matrix: symmetric, within [" & ChrW(8722) & "1, 1], 1 on the diagonal, PSD (each to 1e-9)."
    d(2) = "Horizon in trading days (> 0), default 1."
    d(3) = "Trading days per year (> 0), default 252."
    d(4) = "TRUE: a non-PSD matrix is replaced by the nearest correlation matrix (Higham 2002); default FALSE."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FACTOR_COVARIANCE", Description:="n" & ChrW(215) & "n covariance of factor moves over a horizon: " & ChrW(961) & ChrW(7522) & ChrW(11388) & ChrW(183) & ChrW(963) & ChrW(7522) & ChrW(183) & ChrW(963) & ChrW(11388) & ChrW(183) & "horizon_days/days_per_year (docs/methodology/hedge-optimizer.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Block: first row weights (fraction of NAV, short < 0), then one row of betas per factor; optional first column of labels. Or betas alone: factors " & ChrW(215) & " positions."
    d(1) = "With betas: one row of weights (fraction of NAV, short < 0). With a block: NAV (optional), multiplies the result into currency."
    d(2) = "NAV in the currency of record (optional): result " & ChrW(215) & " NAV, i.e. currency exposure."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FACTOR_EXPOSURE", Description:="Net factor exposure of the book, " & ChrW(931) & " weight " & ChrW(215) & " beta per factor row (docs/methodology/factor-model.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Position weights, fraction of NAV (short < 0), one row or column."
    d(1) = "Per position, the currency its value moves with (ISO code), same length."
    d(2) = "Per position, share of its value that moves with that currency (blank = 1); optional."
    d(3) = "Currency of record (default USD); its positions carry no FX exposure."
    d(4) = "Pad the result with blank rows to this many (fits a fixed array range); optional."
    d(5) = "Per position, the listing currency: used where the FX exposure currency is blank (share as given, blank = 1); optional, same length."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FX_EXPOSURE", Description:="Exposure per currency against the currency of record, " & ChrW(931) & " weight " & ChrW(215) & " FX share (docs/methodology/sizing.md FX).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Currency of the exposure (ISO code)."
    d(1) = "Exposure to it, NAV fraction (long the currency > 0), e.g. from CURRENCY_EXPOSURE."
    d(2) = "NAV in the currency of record (> 0)."
    d(3) = "Hedge ratio in [0, 1] (default 1)."
    d(4) = "Currency of record (default USD)."
    d(5) = "The Instruments sheet table (header row first); default the shipped catalogue."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!FX_HEDGE", Description:="Currency-future hedge of one currency exposure, as a row (docs/methodology/sizing.md FX; record currency a parameter).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "NAV in the currency of record (> 0)."
    d(1) = "Annual hedging budget as a fraction of NAV (default 0.03 = 3%; 2" & ChrW(8211) & "4% is usual)."
    d(2) = "low, normal or high (default normal), or a VIX level: < 18 low, 18" & ChrW(8211) & "28 normal, > 28 high; or two columns index | level (VIX, MOVE, DVOL, CVIX): each bucket takes its own index's regime."
    d(3) = "Optional split table: a header row low | normal | high and one row per bucket (label in the first column), fractions of the budget; each column sums to 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_BUDGET", Description:="Annual hedging budget split into the five buckets for a vol regime (docs/methodology/budget.md, Figure 05).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 6)
    d(0) = "Book rows with labels in the first column, one column per position (Ticker, Asset class, Currency, Is hedge, FX decision, ..., Weight as a fraction of NAV)."
    d(1) = "Factor rows with labels in the first column, one column per position (blank = 0)."
    d(2) = "Two columns label | value: NAV, Currency of record, Last decomposition, Today, VIX, MOVE, DVOL, CVIX."
    d(3) = "Protection ledger with a header row: Date, Instrument, Bucket, Premium, Vol index, Vol level."
    d(4) = "Optional two columns label | value overriding the default tolerances."
    d(5) = "Pad with blank rows to this many (fits a fixed array range); optional. Findings beyond it are summed up in the last row."
    d(6) = "Optional: the options' theta against their budget buckets, the rows of OPTION_THETA_BUDGET (OptionThetaBudget: bucket, theta per year, budget, theta / budget, options) for THETA_OVER_BUDGET."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_CHECKS", Description:="Common hedging mistakes in the book (docs/methodology/checks.md): code, severity, message, positions, fix.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "Signed hedge notional in currency (short < 0); a cell or a column."
    d(1) = "Instrument price (> 0)."
    d(2) = "Currency per price point per contract (ES 50); default 1."
    d(3) = "Instrument beta to the factor; default 1."
    d(4) = "Multiplier of the micro contract (MES 5) to complete the rounding; optional."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_CONTRACTS", Description:="Whole contracts, the notional left by rounding, and a micro-contract completion, as a row.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "A row of candidate tickers (blank cells are skipped)."
    d(1) = "The Instruments sheet's table; blank = the shipped catalogue."
    d(2) = "Horizon in days for funding carry (default 21)."
    d(3) = "Risk-free rate for option prices (default 0)."
    d(4) = "Dividend yield for option prices (default 0)."
    d(5) = "Funding periods per day (default 3: 8-hourly)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_COSTS", Description:="Cost per contract over the horizon (" & ChrW(8805) & " 0): option premium, perpetual funding carry, 0 for futures and ETFs.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "NAV in the currency of record (> 0)."
    d(1) = "Annual hedging budget as a fraction of NAV (default 0.03 = 3%; 2" & ChrW(8211) & "4% is usual)."
    d(2) = "Current VIX level, or two columns: index (VIX, MOVE, DVOL, CVIX) and level."
    d(3) = "Hedge ledger with a header row: Date, Instrument, Bucket, Premium (paid > 0, received < 0), optional Vol index and Vol level."
    d(4) = "Date the year-to-date runs to (blank = today)."
    d(5) = "Optional split table: a header row low | normal | high and one row per bucket (label in the first column), fractions of the budget; each column sums to 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_DEPLOYMENT", Description:="What to do now with each budget bucket given the vol regimes: deploy, maintain and roll, or hold (docs/methodology/budget.md, workbook.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 0)
    d(0) = "One column of VIX levels (default 10 to 45 in steps of 1)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_DEPLOYMENT_CURVE", Description:="Share of the remaining budget to deploy now and to move to rebalance cash, against VIX (Figure 06).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "A row of candidate tickers."
    d(1) = "n " & ChrW(215) & " m loadings with their header row (HEDGE_LOADINGS)."
    d(2) = "A column of n: the book's P&L per unit move (EXPOSURE_PER_MOVE)."
    d(3) = "n " & ChrW(215) & " n covariance, normal regime."
    d(4) = "The Instruments sheet's table; blank = the shipped catalogue."
    d(5) = "Multiple of the book's " & ChrW(963) & " one leg may carry (default 2)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_LIMITS", Description:="Default bounds in contracts, two rows (lower, upper): options bought only, and |contracts| " & ChrW(8804) & " " & ChrW(8968) & "size_limit " & ChrW(215) & " book " & ChrW(963) & " / " & ChrW(963) & " of one contract" & ChrW(8969) & " in the normal regime.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "A row of candidate tickers from the Instruments sheet (blank cells are skipped)."
    d(1) = "A column of factor labels (core factors or tilts)."
    d(2) = "The Instruments sheet's table (InstrumentTable); blank = the shipped catalogue."
    d(3) = "Risk-free rate for option Greeks, annual decimal (default 0)."
    d(4) = "Dividend yield for option Greeks, annual decimal (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_LOADINGS", Description:="P&L of one long contract of each candidate per unit move of each factor (currency), with a header row of tickers (docs/methodology/hedge-optimizer.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "Factor exposure E_f as a fraction of NAV (long > 0); a cell or a column of factors."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Hedge ratio h in [0, 1]: the fraction of the gap to hedge (default 1)."
    d(3) = "Target exposure T_f, NAV fraction (default 0 = neutral)."
    d(4) = "Alpha estimate " & ChrW(945) & " in [0, 1) (default 0); the notional is divided by 1 " & ChrW(8722) & " " & ChrW(945) & "."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_NOTIONAL", Description:="Signed currency notional of a factor hedge, " & ChrW(8722) & "h" & ChrW(183) & "(E " & ChrW(8722) & " T)" & ChrW(183) & "NAV/(1 " & ChrW(8722) & " " & ChrW(945) & ") (docs/methodology/sizing.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 9)
    d(0) = "A column of n values: the book's P&L per unit move of each factor (currency)."
    d(1) = "n " & ChrW(215) & " m: P&L per contract per unit move of each factor (currency); an optional header row of instrument names."
    d(2) = "n " & ChrW(215) & " n covariance of the factor moves in the normal regime (FACTOR_COVARIANCE)."
    d(3) = "n " & ChrW(215) & " n covariance in the stress regime; blank = normal only."
    d(4) = "A row of m costs per contract over the horizon (" & ChrW(8805) & " 0), charged on |contracts|; blank = 0."
    d(5) = "Most the hedge may cost, " & ChrW(931) & " cost " & ChrW(215) & " |contracts|; blank = no limit."
    d(6) = "A row of m lower bounds in contracts (blank cell = none; 0 = long only)."
    d(7) = "A row of m upper bounds in contracts (blank cell = none)."
    d(8) = "TRUE (default): whole contracts; FALSE: the continuous optimum."
    d(9) = "Weight w " & ChrW(8805) & " 0 of the cost in the objective (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_OPTIMIZE", Description:="Contracts per instrument minimising max(" & ChrW(963) & " normal, " & ChrW(963) & " stress) of the residual + cost_weight " & ChrW(215) & " cost, within the budget and bounds; then " & ChrW(963) & " normal, " & ChrW(963) & " stress and the total cost (one column of m + 3).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 9)
    d(0) = "Coin (units) held long, e.g. 5 BTC."
    d(1) = "Entry price (> 0)."
    d(2) = "Hedge ratios in [0, 1], a row or column (0.5 = short half)."
    d(3) = "Price moves, decimals > " & ChrW(8722) & "1 (" & ChrW(8722) & "0.2 = " & ChrW(8722) & "20%), a row or column."
    d(4) = "linear (default: short ratio " & ChrW(215) & " qty coin) or inverse (short ratio" & ChrW(215) & "qty" & ChrW(215) & "price/face contracts, coin PnL at the exit price)."
    d(5) = "Funding rate per period, decimal; > 0 = the short hedge receives (default 0)."
    d(6) = "Horizon in days for funding (default 0)."
    d(7) = "Funding periods per day (default 3)."
    d(8) = "USD face per inverse contract (default 100)."
    d(9) = "table (default: rows ratio " & ChrW(215) & " move, columns ratio, move, spot, hedge, funding, net) or net / spot / hedge / funding / hedge_coin (grid: rows ratios, columns moves; hedge_coin = inverse hedge PnL in coin)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_OUTCOMES", Description:="Hedge-ratio outcome table: ratios " & ChrW(215) & " price moves " & ChrW(8594) & " spot, hedge, funding, net P&L (docs/methodology/scenarios.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 9)
    d(0) = "Hedge instrument ticker (ES, SPY, SH, SPX_PUT, TLT, ZN, UUP, CL, BTC, BTCUSD" & ChrW(8230) & "); blank = no hedge."
    d(1) = "Factor exposure E_f, NAV fraction (long > 0)."
    d(2) = "NAV in the currency of record (> 0)."
    d(3) = "Hedge ratio h in [0, 1] (default 1)."
    d(4) = "Target exposure T_f, NAV fraction (default 0)."
    d(5) = "Alpha estimate " & ChrW(945) & " in [0, 1) (default 0)."
    d(6) = "The Instruments sheet table (header row first); default the shipped catalogue."
    d(7) = "Risk-free rate for Black" & ChrW(8211) & "Scholes options (default 0)."
    d(8) = "Dividend yield for Black" & ChrW(8211) & "Scholes options (default 0; ignored by Black-76)."
    d(9) = "Perpetual funding periods per day (default 3)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_PLAN", Description:="Recommended hedge of one factor with one instrument, as a row; an option hedge also reports the vol exposure it adds (docs/methodology/sizing.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "A column of n values: the book's P&L per unit move of each factor (currency)."
    d(1) = "n " & ChrW(215) & " m loadings (optional header row), as HEDGE_OPTIMIZE."
    d(2) = "n " & ChrW(215) & " n covariance, normal regime."
    d(3) = "n " & ChrW(215) & " n covariance, stress regime; blank = normal only."
    d(4) = "A row or column of m contracts (long > 0, short < 0); blank = 0."
    d(5) = "A row of m costs per contract (" & ChrW(8805) & " 0); blank = 0."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_RISK", Description:="Residual " & ChrW(963) & " normal, " & ChrW(963) & " stress and total cost of a given hedge (e.g. the rule of thumb), one column of 3.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Signed hedge notional in currency (short < 0), e.g. from HEDGE_NOTIONAL."
    d(1) = "Instrument price (> 0): futures points, share price, USD per coin."
    d(2) = "Currency per price point per unit (ES 50, MES 5, shares 1, ZN 1,000); default 1."
    d(3) = "Instrument beta to the factor (sector ETF beta, " & ChrW(8722) & "1 for SH, duration for rates); default 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!HEDGE_UNITS", Description:="Unrounded hedge units, notional / (price " & ChrW(215) & " multiplier " & ChrW(215) & " beta) (docs/methodology/sizing.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 1)
    d(0) = "Ticker in the catalogue (ES, MES, SPY, SH, SPX_PUT, TLT, ZN, 6E, CL, BTC, BTCUSD" & ChrW(8230) & ")."
    d(1) = "One of: name, factor, kind, price, multiplier, beta, face, currency, expiry, micro, strike, vol, years, funding_rate, tilt (default price)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!INSTRUMENT", Description:="A field of a shipped catalogue instrument (illustrative prices; refresh them).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Number of contracts, long > 0, short < 0."
    d(1) = "USD face value per contract (e.g. 100), > 0."
    d(2) = "Entry price in USD per coin (> 0)."
    d(3) = "Exit price in USD per coin (> 0). USD PnL = result " & ChrW(215) & " exit."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!INVERSE_PNL", Description:="Inverse (coin-margined) PnL in coin, contracts " & ChrW(215) & " face " & ChrW(215) & " (1/entry " & ChrW(8722) & " 1/exit) (docs/methodology/perpetuals.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 11)
    d(0) = "The Book's attribute block with its labels (BookAttributeBlock)."
    d(1) = "The Book's factor block with its labels (BookFactorBlock)."
    d(2) = "NAV in the currency of record (> 0)."
    d(3) = "Valuation date: years to expiry count from it (blank = today)."
    d(4) = "Risk-free rate for the bs options and the option hedges, annual continuously compounded (default 0)."
    d(5) = "Dividend yield for the bs options and the option hedges (default 0)."
    d(6) = "The Instruments table (InstrumentTable); blank = the shipped catalogue."
    d(7) = "One row per scenario: name, SPX move (decimal, " & ChrW(8722) & "0.20), VIX move (points, +25)."
    d(8) = "The hedges' tickers, one per row (HedgeInstruments); blank = no hedges."
    d(9) = "Their whole contracts, signed (HedgeContracts), same rows."
    d(10) = "The micro contracts' tickers (HedgeMicros), same rows; optional."
    d(11) = "The micro contracts, signed (HedgeMicroContracts), same rows; optional."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!JOINT_SCENARIO_PNL", Description:="Joint SPX / VIX scenarios of the book: every position but the options through its exposures, the options by full revaluation beside their delta-only estimate and the convexity, unhedged vs hedged with the recommended hedges (docs/methodology/scenarios.md)", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Quantity in coin/units, long > 0, short < 0."
    d(1) = "Entry price (> 0)."
    d(2) = "Exit price (> 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!LINEAR_PNL", Description:="Linear contract PnL in quote currency, qty " & ChrW(215) & " (exit " & ChrW(8722) & " entry) (docs/methodology/perpetuals.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Entry (or current) price (> 0)."
    d(1) = "Liquidation price, e.g. from LIQ_PRICE."
    d(2) = ChrW(963) & " of daily returns, decimal (0.03 = 3%); optional."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!LIQ_DISTANCE", Description:="Distance to liquidation as a row: signed % move to the liquidation price, and in daily " & ChrW(963) & ".", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "Entry price (> 0)."
    d(1) = "Leverage L (> 0)."
    d(2) = "long or short."
    d(3) = "Maintenance margin rate, decimal in [0, 1) (default 0.005)."
    d(4) = "linear (USDT-margined, default) or inverse (coin-margined)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!LIQ_PRICE", Description:="Isolated-margin liquidation price, exchanges' simplified form: no added margin, fees or tiers (docs/methodology/perpetuals.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Book (or position) value series, oldest first, one column."
    d(1) = "Prices of the hedge instruments, one column each, same rows."
    d(2) = "Observations per year to annualise the residual vol; default 252."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!LSQ_HEDGE", Description:="Least-squares hedge of a book with several instruments: row of ratios, then R" & ChrW(178) & ", residual vol.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Prices of the position to hedge, oldest first (one column or row; blanks skipped)."
    d(1) = "Prices of the hedge instrument on the same dates."
    d(2) = "Observations per year to annualise the residual vol (252 daily, 52 weekly, 1 = per period); default 252."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!MINVAR_HEDGE", Description:="Minimum-variance hedge from two price series: row of ratio h*, effectiveness " & ChrW(961) & ChrW(178) & ", residual vol.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 7)
    d(0) = "The Book's attribute block with its labels (BookAttributeBlock)."
    d(1) = "The Book's factor block with its labels (BookFactorBlock)."
    d(2) = "NAV in the currency of record (> 0)."
    d(3) = "Valuation date: years to expiry count from it (blank = today)."
    d(4) = "Risk-free rate for the bs options, annual continuously compounded (default 0)."
    d(5) = "Dividend yield for the bs options, annual continuously compounded (default 0)."
    d(6) = "The Instruments table (InstrumentTable); blank = the shipped catalogue."
    d(7) = "One row per scenario: name, SPX move (decimal, " & ChrW(8722) & "0.20), VIX move (points, +25)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!OPTION_BOOK_SCENARIOS", Description:="Joint SPX / VIX scenarios of the book without vs with its options: the book without them, its options by full revaluation and by delta only, with them, and the convexity (docs/methodology/options.md; the Scenarios sheet's JOINT_SCENARIO_PNL adds the recom", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 11)
    d(0) = """call"" or ""put""; a cell or a column with one option per row."
    d(1) = "Number of contracts held (long > 0, short < 0)."
    d(2) = "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options."
    d(3) = "Price of the underlying (> 0); for model black76 the futures price (VIX future, ES, CL)."
    d(4) = "Strike (> 0), same currency as spot."
    d(5) = "Implied volatility, annual decimal (0.18 = 18%), > 0."
    d(6) = "Time to expiry in years (" & ChrW(8805) & " 0; 0 = at expiry: intrinsic value)."
    d(7) = "NAV in the currency of record (> 0)."
    d(8) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(9) = "Dividend yield, annual continuously compounded decimal (default 0; ignored by black76)."
    d(10) = """bs"" (Black" & ChrW(8211) & "Scholes" & ChrW(8211) & "Merton on spot, default) or ""black76"" (Black-76 on a futures price)."
    d(11) = "Vol-factor points per point of the option's implied vol (default 1: SPX options against VIX)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!OPTION_EXPOSURE", Description:="Row [delta exposure, vol exposure, gamma exposure, premium, theta per day] of option holdings, one row per option (docs/methodology/options.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 7)
    d(0) = """call"" or ""put""; a cell or a column with one option per row."
    d(1) = "Price of the underlying (> 0); for model black76 the futures price (VIX future, ES, CL)."
    d(2) = "Strike (> 0), same currency as spot."
    d(3) = "Implied volatility, annual decimal (0.18 = 18%), > 0."
    d(4) = "Time to expiry in years (" & ChrW(8805) & " 0; 0 = at expiry: intrinsic value)."
    d(5) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(6) = "Dividend yield, annual continuously compounded decimal (default 0; ignored by black76)."
    d(7) = """bs"" (Black" & ChrW(8211) & "Scholes" & ChrW(8211) & "Merton on spot, default) or ""black76"" (Black-76 on a futures price)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!OPTION_GREEKS", Description:="Row [price, delta, gamma, vega per vol point, theta per day] of European options per unit of underlying, one row per option (docs/methodology/options.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 12)
    d(0) = """call"" or ""put"" (one option)."
    d(1) = "Number of contracts held (long > 0, short < 0)."
    d(2) = "Units of underlying per contract (> 0): 100 for SPX, SPY and VIX options."
    d(3) = "Price of the underlying (> 0); for model black76 the futures price (VIX future, ES, CL)."
    d(4) = "Strike (> 0), same currency as spot."
    d(5) = "Implied volatility, annual decimal (0.18 = 18%), > 0."
    d(6) = "Time to expiry in years (" & ChrW(8805) & " 0; 0 = at expiry: intrinsic value)."
    d(7) = "A column of relative spot moves (" & ChrW(8722) & "0.2 = " & ChrW(8722) & "20%), one result row each."
    d(8) = "A row of vol moves in vol points (+10 = " & ChrW(963) & " + 0.10), one result column each."
    d(9) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(10) = "Dividend yield, annual continuously compounded decimal (default 0; ignored by black76)."
    d(11) = """bs"" (Black" & ChrW(8211) & "Scholes" & ChrW(8211) & "Merton on spot, default) or ""black76"" (Black-76 on a futures price)."
    d(12) = "Calendar days that pass before the moves (default 0); at or past expiry the option is worth its intrinsic value."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!OPTION_SCENARIO", Description:="P&L of one option holding by full revaluation: one row per spot move, one column per vol move (docs/methodology/options.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 6)
    d(0) = "The Book's attribute block with its labels (BookAttributeBlock)."
    d(1) = "NAV in the currency of record (> 0)."
    d(2) = "Valuation date: years to expiry count from it (blank = today)."
    d(3) = "Risk-free rate for the bs options, annual continuously compounded (default 0)."
    d(4) = "Dividend yield for the bs options, annual continuously compounded (default 0)."
    d(5) = "The Instruments table (InstrumentTable); blank = the shipped catalogue."
    d(6) = "The Budget sheet's BUDGET_STATUS table (BudgetStatus): bucket label, fraction, budget, " & ChrW(8230)
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!OPTION_THETA_BUDGET", Description:="Annualised theta of the options held against their budget buckets (long puts: tail protection, options on a vol instrument: long volatility), one row per bucket (docs/methodology/options.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Weight of leg A, NAV fraction (long > 0)."
    d(1) = "Beta of A to the index."
    d(2) = "Beta of B to the index (" & ChrW(8800) & " 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PAIR_NEUTRAL", Description:="Weight of the short leg that makes a pair beta-neutral, " & ChrW(8722) & "w_A" & ChrW(183) & ChrW(946) & "_A/" & ChrW(946) & "_B (docs/methodology/sizing.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "History of funding rates per period, decimals (a column; blanks skipped)."
    d(1) = "Funding periods per day (default 3: every 8 hours)."
    d(2) = "long or short (default short); > 0 means the side earns the carry."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PERP_CARRY", Description:="Annualised funding carry, mean rate " & ChrW(215) & " periods per day " & ChrW(215) & " 365, as received by side (docs/methodology/perpetuals.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Size of the position in quote currency (" & ChrW(8805) & " 0); the direction goes in side."
    d(1) = "Funding rate per period, decimal (0.0001 = 0.01%), either sign."
    d(2) = "Number of funding periods (3 a day when 8-hourly); default 1."
    d(3) = "long or short (default short: a hedge)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PERP_FUNDING", Description:="Perpetual funding received (> 0) or paid (< 0); a positive rate means longs pay shorts (docs/methodology/perpetuals.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Underlying price (> 0)."
    d(1) = "Strike price (> 0)."
    d(2) = "Implied volatility, annual decimal (0.18 = 18%, > 0)."
    d(3) = "Time to expiry in years (" & ChrW(8805) & " 0)."
    d(4) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(5) = "Dividend yield, annual continuously compounded decimal (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PUT_DELTA", Description:="Black" & ChrW(8211) & "Scholes delta of a European put, " & ChrW(8722) & "e^(" & ChrW(8722) & "qT)" & ChrW(183) & "N(" & ChrW(8722) & "d1), between " & ChrW(8722) & "1 and 0 (docs/methodology/sizing.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Underlying price (> 0)."
    d(1) = "Strike price (> 0)."
    d(2) = "Implied volatility, annual decimal (0.18 = 18%, > 0)."
    d(3) = "Time to expiry in years (" & ChrW(8805) & " 0)."
    d(4) = "Risk-free rate, annual continuously compounded decimal (default 0)."
    d(5) = "Dividend yield, annual continuously compounded decimal (default 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!PUT_PRICE", Description:="Black" & ChrW(8211) & "Scholes value of a European put per unit of underlying (" & ChrW(215) & " multiplier for a contract).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 5)
    d(0) = "Book rows with labels in the first column (as HEDGE_CHECKS); hedges give Target hedge ratio, Price, Multiplier."
    d(1) = "Factor rows with labels in the first column, one column per position (blank = 0)."
    d(2) = "NAV in the currency of record (> 0)."
    d(3) = "Drift in percentage points beyond which a factor is flagged (default 10)."
    d(4) = "Optional two columns factor | target ratio (0" & ChrW(8211) & "1), overriding the hedges' own targets (a blank target keeps the hedges' own)."
    d(5) = "Pad with blank rows to this many (fits a fixed array range); optional."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!REBALANCE", Description:="Hedge ratio per factor against target, drift in percentage points, and the orders back to target.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 6)
    d(0) = "Prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise). The market series (" & ChrW(948) & " for the adjustment) is column `market`."
    d(1) = "Vol index level per row of prices (VIX...), or with its own date column. Blank: regimes from the market series' 21-day realised-vol percentile instead."
    d(2) = "Which days: ""normal"" (low " & ChrW(8804) & " level " & ChrW(8804) & " high), ""stress"" (> high), ""low"" (< low), ""calm"" (not stress) or ""all""."
    d(3) = "Lower threshold, index points (default 18, VIX). Boundary values are normal."
    d(4) = "Upper threshold, index points (default 28, VIX). Boundary values are normal."
    d(5) = "FALSE (default): raw correlations. TRUE: Forbes" & ChrW(8211) & "Rigobon " & ChrW(961) & "/" & ChrW(8730) & "(1+" & ChrW(948) & "(1" & ChrW(8722) & ChrW(961) & ChrW(178) & ")), " & ChrW(948) & " = " & ChrW(963) & ChrW(178) & "_regime/" & ChrW(963) & ChrW(178) & "_normal " & ChrW(8722) & " 1 of the market series."
    d(6) = "Column number (1 = first price column) of the market series, default 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!REGIME_CORRELATION", Description:="Correlation matrix over normal or stress days of a vol index (docs/methodology/estimation.md, regimes.md), raw or Forbes" & ChrW(8211) & "Rigobon adjusted.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 4)
    d(0) = "SPX move, decimal (" & ChrW(8722) & "0.10 = " & ChrW(8722) & "10%)."
    d(1) = "Annual vol of SPX (> 0), same basis as vols."
    d(2) = "Annual vols of the proxies (> 0), one per factor row."
    d(3) = "Correlation of each proxy with SPX in the regime (normal or stress), in [" & ChrW(8722) & "1, 1]."
    d(4) = "Factor shock per unit proxy move (1; TLT" & ChrW(8594) & "bp: " & ChrW(8722) & "1/(duration" & ChrW(215) & "0.0001)); default 1."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!REGIME_MOVE", Description:="Regime-consistent factor shocks from an SPX move: " & ChrW(961) & ChrW(183) & ChrW(963) & "_j/" & ChrW(963) & "_SPX" & ChrW(183) & "move " & ChrW(215) & " per_unit (docs/methodology/scenarios.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Asset prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise). Several columns give several beta columns."
    d(1) = "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as the assets or with its own date column."
    d(2) = "Returns per window (e.g. 252 " & ChrW(8776) & " one trading year). Whole number " & ChrW(8805) & " 2."
    d(3) = "Return type: ""simple"" (default) or ""log""."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!ROLLING_BETA", Description:="Rolling OLS beta, one column per asset column, aligned to the input rows (docs/methodology/estimation.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Asset prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise)."
    d(1) = "Benchmark prices (> 0), one column (SPX, DXY, a commodity composite, BTC), same rows as the assets or with its own date column."
    d(2) = "Returns per window. Whole number " & ChrW(8805) & " 2."
    d(3) = "Return type: ""simple"" (default) or ""log""."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!ROLLING_CORRELATION", Description:="Rolling correlation of each asset column with the benchmark, aligned to the input rows.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Expiry date of the contract."
    d(1) = "Valuation date (default today)."
    d(2) = "Warn this many calendar days before expiry (default 5)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!ROLL_DAYS", Description:="Days to a dated future's expiry and its roll status as a row: [days, ok | roll | expired].", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Factor exposures E_f (NAV fractions), one row per factor in the core order (equity, duration, usd, commodity, crypto, vol) or with a first column of factor names; several columns = several books (unhedged, hedged)."
    d(1) = "One shock per factor row: equity/usd/commodity/crypto as decimal moves (" & ChrW(8722) & "0.10), duration in bp of yield (+25), vol in points (+10)."
    d(2) = "NAV in the currency of record (> 0)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!SCENARIO_PNL", Description:="Factor-shock P&L per factor and total, one column per book (docs/methodology/scenarios.md).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 1)
    d(0) = "Prices: Prices (> 0), dates down, one column per series; optional header row of tickers and first column of dates; blanks and #N/A are missing (aligned pairwise)."
    d(1) = "FALSE (default): one row of names; TRUE: one column."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!SERIES_NAMES", Description:="Names of the series of a price range as the estimation functions see them (labels for their matrices).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "A column of factor exposures (" & ChrW(215) & " NAV)."
    d(1) = "The factor labels beside them; tilts are every label that is not a core factor."
    d(2) = "The Instruments sheet's table; blank = the shipped catalogue."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!TILT_ETF", Description:="The sector ETF of the Instruments sheet matching the book's largest tilt (by |exposure|); blank if none.", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 2)
    d(0) = "Price (> 0): per share for an ETF; points per 100 of face for a bond future."
    d(1) = "Effective (modified) duration in years (> 0): TLT " & ChrW(8776) & " 17, ZN " & ChrW(8776) & " 6.5."
    d(2) = "1 (default) for a share priced in currency; the face per contract (100,000) for a bond future, whose price is then read per 100 of face."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!UNIT_DV01", Description:="DV01 of one unit in currency per 1bp, positive (docs/methodology/sizing.md rates).", Category:="xlhedge", ArgumentDescriptions:=d
    ReDim d(0 To 3)
    d(0) = "Index level(s), index points (VIX 18 = 18% annualised); a cell or a range."
    d(1) = "Which index's thresholds: ""VIX"" (default, 18/28), ""MOVE"", ""DVOL"" or ""CVIX""."
    d(2) = "Override the lower threshold (optional; e.g. the Regime sheet's editable value)."
    d(3) = "Override the upper threshold (optional)."
    Application.MacroOptions Macro:="'" & ThisWorkbook.Name & "'!VOL_REGIME", Description:="Vol regime of an index level: ""low"", ""normal"" or ""high"" (docs/methodology/regimes.md; boundaries are normal).", Category:="xlhedge", ArgumentDescriptions:=d
End Sub
